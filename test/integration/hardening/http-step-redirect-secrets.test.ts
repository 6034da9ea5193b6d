import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

// A target that redirects with what the request carried in the Location (an API echoing a key
// header into a "next" link, a login wall putting it in `?return=`): the answer's body was masked,
// but the run log's "followed to GET …" notes, a redirect not followed ("Location: …") and a
// Location that is no URL (quoted in the error) showed the header's value to every admin and
// supervisor reading the run. Masked by the one rule (outbound/mask.ts) wherever the other side
// is quoted.

const CUSTOM = 'CustomSecretValue456';
const MARKS = ['CustomSecret', 'Value456'];
const echoed = `echo=${encodeURIComponent(CUSTOM)}`;

/** Where each path of the target sends the request: `/x` is the step's URL. */
const routes: Record<string, (res: http.ServerResponse) => void> = {
  // One hop followed, then a 422.
  '/hop-then-refuse': (res) => res.writeHead(302, { location: `/refused?${echoed}` }).end(),
  '/refused': (res) => res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"no"}'),
  // A loop of redirects: the last one is not followed and its Location is quoted in the error.
  '/loop': (res) => res.writeHead(302, { location: `/loop?${echoed}&n=${Math.random()}` }).end(),
  // A Location that is no URL: quoted in the error as the target wrote it.
  '/bad-location': (res) => res.writeHead(302, { location: `http://exa mple.test/?${echoed}` }).end(),
};

let target: http.Server;
let targetUrl: string;
let server: TestServer;
beforeEach(async () => {
  target = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => routes[new URL(req.url!, 'http://h').pathname]!(res));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
});
afterEach(async () => {
  await server.close();
  target.closeAllConnections();
  await new Promise<void>((resolve) => target.close(() => resolve()));
});

describe('an HTTP step redirected with a credential in the Location', () => {
  it.each([
    ['a hop followed (the run log\'s note)', '/hop-then-refuse', /answered HTTP 422/],
    ['a redirect not followed (its Location in the error)', '/loop', /answered HTTP 302 \(Location: /],
    ['a Location that is no URL (quoted in the error)', '/bad-location', /Location that is not a URL/],
  ])('%s: the header\'s value is masked', async (_, path, error) => {
    const admin = server.api(server.adminToken);
    const wf = (await admin.post('/workflows', {
      name: 'Hop', trigger: { type: 'shortcut', name: 'Hop' }, status: 'published',
      steps: [{ id: 'h', type: 'http_request', config: { method: 'GET', url: `${targetUrl}${path}`, headers: [{ key: 'X-Custom', value: CUSTOM }] } }],
    })).body;
    expect(wf.status, JSON.stringify(wf)).toBe('published');
    const contact = (await admin.post('/contacts', { firstName: 'Ada' })).body;
    const conversation = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    const launched = await admin.post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation, values: {} });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);

    const run = await waitFor('the run to fail', async () => {
      const r = Run.parse((await admin.get(`/runs/${launched.body.runId}`)).body);
      return r.status === 'failed' ? r : undefined;
    }, 20_000);
    expect(run.error).toMatch(error);
    const shown = JSON.stringify(run);
    expect(shown).toContain('echo=[redacted]');
    expect(MARKS.filter((m) => shown.includes(m))).toEqual([]);
  });
});
