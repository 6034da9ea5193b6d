import http from 'node:http';
import { forwardTo, listenOnLoopback } from '../../support/loopback-proxy';
import type { TestServer } from '../../support/server';

/**
 * The real server as the release before GET /workflows paged answered it: any query parameter
 * refused with that release's 422 ("Unknown query parameter limit: this list takes none"), no
 * parameter answered with every workflow and nothing else (`{ workflows }`). Every other request
 * goes through to `target` unchanged (the event stream too), so the extension is connected to a
 * real server that is one release older than itself.
 */
export async function startOlderServer(target: TestServer, adminToken: string): Promise<{ url: string; workflowCalls: string[]; close(): Promise<void> }> {
  const workflowCalls: string[] = [];
  const upstream = new URL(target.url);

  async function wholeList() {
    const admin = target.api(adminToken);
    const workflows: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { workflows: unknown[]; nextCursor: string | null } } = await admin.get(`/workflows?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      workflows.push(...page.body.workflows);
      cursor = page.body.nextCursor;
    } while (cursor);
    return { workflows };
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://older');
    if (req.method === 'GET' && url.pathname === '/api/v1/workflows') {
      workflowCalls.push(url.search);
      const keys = [...new Set(url.searchParams.keys())];
      const send = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
      if (keys.length) {
        const refusal = `Unknown query parameter${keys.length > 1 ? 's' : ''} ${keys.join(', ')}: this list takes none`;
        send(422, { error: { code: 'invalid_content', message: `The query string is invalid: querystring: ${refusal}`, details: [{ path: 'querystring', message: refusal }] } });
      } else {
        wholeList().then((body) => send(200, body), () => send(502, { error: { code: 'internal', message: 'upstream' } }));
      }
      return;
    }
    forwardTo(upstream, req, res);
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    workflowCalls,
    close: listening.close,
  };
}
