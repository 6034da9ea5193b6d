import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../server/ids';
import { startTestServer, type TestServer } from '../support/server';

// The Dashboard App page as Chatwoot's iframe loads it: framing allowed only for connected Chatwoot dashboards.
let server: TestServer;

beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const frameAncestors = (csp: string | null) => /frame-ancestors ([^;]*)/.exec(csp ?? '')?.[1];

describe('Chatwoot Dashboard App page', () => {
  it('serves the page, framable by no one but itself while no Chatwoot account is connected', async () => {
    const res = await server.request('GET', '/chatwoot/dashboard-app');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.body).toContain('/chatwoot/dashboard-app/app.js');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(frameAncestors(res.headers.get('content-security-policy'))).toBe("'self'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('lets the dashboard of a connected Chatwoot account frame it, and nobody else', async () => {
    // A connection row as the Chatwoot connector stores it (connections.config holds baseUrl and origin).
    const at = nowIso();
    await server.store.db.insertInto('connections').values({
      id: newId('con'), kind: 'chatwoot', name: 'Acme', status: 'active', secrets: 'sealed', last_synced_at: null, last_error: null,
      config: JSON.stringify({ baseUrl: 'https://chat.example.com', origin: 'https://chat.example.com', accountId: 1 }), created_at: at, updated_at: at,
    }).execute();
    const res = await server.request('GET', '/chatwoot/dashboard-app');
    expect(frameAncestors(res.headers.get('content-security-policy'))).toBe("'self' https://chat.example.com");
  });

  it('serves its script and styles, built from the sources when the server runs from them', async () => {
    const js = await server.request('GET', '/chatwoot/dashboard-app/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(String(js.body)).toContain('chatwoot-dashboard-app:fetch-info');
    const css = await server.request('GET', '/chatwoot/dashboard-app/app.css');
    expect(css.status).toBe(200);
    expect(String(css.body)).toContain('.ic-dashboard-app');
  });

  it('an unknown asset is a 404, not the page', async () => {
    expect((await server.request('GET', '/chatwoot/dashboard-app/other.js')).status).toBe(404);
  });
});
