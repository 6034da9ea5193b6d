import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ScriptedRequest {
  path: string;
  body: any;
  headers: http.IncomingHttpHeaders;
  /** The signature verified with the secret the app held then (`secret`). */
  verified: boolean;
}

/**
 * What the app does with one request: an answer, a slow answer, or a dropped connection. `echo`:
 * the answer's body quotes the request (a server that says what it could not process), whole or
 * the part the function picks.
 */
export type Script = { status: number; delayMs?: number; echo?: true | ((body: any) => unknown) } | 'reset';

export interface ScriptedApp {
  url: string;
  urls: { subscribeUrl: string; unsubscribeUrl: string };
  received: ScriptedRequest[];
  /** Requests to `path` (`/subscribe`, `/unsubscribe`). */
  to(path: string): ScriptedRequest[];
  /** The signing secret the app checks with; unset, every signature fails. */
  secret: string | undefined;
  /** How the next requests to `path` are answered, in turn; then `fallback` (200 unless set). */
  script(path: string, ...answers: Script[]): void;
  fallback: Script;
  close(): Promise<void>;
}

/**
 * A mini-app's server whose answers a test sets per request: it checks the Standard Webhooks
 * signature with the secret it holds (as a real app would, any of several signatures may match)
 * and answers 401 when none does, unless scripted otherwise.
 */
export async function startScriptedApp(): Promise<ScriptedApp> {
  const scripts = new Map<string, Script[]>();
  const app: ScriptedApp = {
    url: '', urls: { subscribeUrl: '', unsubscribeUrl: '' }, received: [], secret: undefined, fallback: { status: 200 },
    to: (path) => app.received.filter((r) => r.path === path),
    script: (path, ...answers) => scripts.set(path, [...(scripts.get(path) ?? []), ...answers]),
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      let verified = false;
      try {
        if (app.secret) {
          new Webhook(app.secret).verify(raw, {
            'webhook-id': String(req.headers['webhook-id'] ?? ''),
            'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
            'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
          });
          verified = true;
        }
      } catch { /* answered 401 below */ }
      app.received.push({ path, body: JSON.parse(raw || 'null'), headers: req.headers, verified });
      const script = scripts.get(path)?.shift() ?? (verified ? app.fallback : { status: 401 });
      if (script === 'reset') { req.socket.destroy(); return; }
      const echoed = script.echo === true ? raw : script.echo ? JSON.stringify(script.echo(JSON.parse(raw || 'null'))) : undefined;
      const text = echoed ?? (verified ? `status ${script.status}` : 'signature check failed');
      const answer = () => res.writeHead(script.status, { 'content-type': script.echo ? 'application/json' : 'text/plain' }).end(text);
      if (script.delayMs) setTimeout(answer, script.delayMs); else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app.urls = { subscribeUrl: `${app.url}/subscribe`, unsubscribeUrl: `${app.url}/unsubscribe` };
  app.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return app;
}
