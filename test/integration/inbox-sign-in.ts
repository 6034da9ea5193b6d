import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

/** Run on SQLite (inbox-sign-in.test.ts) and PostgreSQL (inbox-sign-in.pg.test.ts). */
export function inboxSignInSuite(databaseUrl: () => string | undefined = () => undefined) {
  // One sign-in for the built-in inbox: a one-time code from the extension's token, traded by the
  // page for an HttpOnly, SameSite=Strict cookie that the API and the stream accept.

  let server: TestServer;
  let agent: { id: string; token: string };
  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    const a = await server.createUser('agent', { name: 'Ada Agent' });
    agent = { id: a.user.id, token: a.token };
  });
  afterAll(async () => { await server?.close(); });

  const PAGE = { 'x-inbox-companion': '1' };
  const newCode = async () => {
    const res = await server.api(agent.token).post('/auth/inbox-code');
    expect(res.status).toBe(201);
    return res.body as { code: string; expiresAt: string; path: string };
  };
  async function signIn(): Promise<string> {
    const { code } = await newCode();
    const res = await server.request('POST', '/api/v1/auth/inbox-session', { headers: PAGE, body: { code } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }
  const withCookie = (cookie: string, method: string, path: string, extra: Record<string, string> = {}, body?: unknown) =>
    server.request(method, `/api/v1${path}`, { headers: { cookie, ...extra }, body });

  describe('one sign-in for the built-in inbox', () => {
    it('gives a signed-in user a code valid about a minute, with the inbox path carrying it in the fragment', async () => {
      const before = Date.now();
      const { code, expiresAt, path } = await newCode();
      expect(code).toMatch(/^[\w-]{40,}$/);
      expect(path).toBe(`/inbox#code=${code}`);
      const ttl = Date.parse(expiresAt) - before;
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(61_000);
      expect((await server.api().post('/auth/inbox-code')).status).toBe(401);
    });

    it('trades the code once for an HttpOnly SameSite=Strict cookie of the same user; a second use is refused', async () => {
      const { code } = await newCode();
      const res = await server.request('POST', '/api/v1/auth/inbox-session', { headers: PAGE, body: { code } });
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(agent.id);
      const [cookie = '', hint = ''] = res.headers.getSetCookie();
      expect(cookie).toMatch(/^ic_inbox_session=[^;]+;/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toContain(agent.token);
      // The page's readable hint carries no secret.
      expect(hint).toMatch(/^ic_inbox_signed_in=1;/);
      expect(hint).not.toMatch(/HttpOnly/);

      const again = await server.request('POST', '/api/v1/auth/inbox-session', { headers: PAGE, body: { code } });
      expect(again.status).toBe(401);
      expect(again.body.error.message).toMatch(/expired or was already used/);
    });

    it('refuses an expired code, an unknown one, a request without the page header, and a body without a code', async () => {
      const { code } = await newCode();
      await server.store.db.updateTable('inbox_sign_in_codes').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
      expect((await server.request('POST', '/api/v1/auth/inbox-session', { headers: PAGE, body: { code } })).status).toBe(401);
      expect((await server.request('POST', '/api/v1/auth/inbox-session', { headers: PAGE, body: { code: 'nope' } })).status).toBe(401);
      const fresh = await newCode();
      expect((await server.request('POST', '/api/v1/auth/inbox-session', { body: { code: fresh.code } })).status).toBe(403);
      const bad = await server.request('POST', '/api/v1/auth/inbox-session', { headers: PAGE, body: {} });
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
      // The refused attempt without the header did not spend the code.
      expect((await server.request('POST', '/api/v1/auth/inbox-session', { headers: PAGE, body: { code: fresh.code } })).status).toBe(200);
    });

    it('the cookie signs API reads and the event stream in', async () => {
      const cookie = await signIn();
      const me = await withCookie(cookie, 'GET', '/me');
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(agent.id);
      const ac = new AbortController();
      const stream = await fetch(`${server.url}/api/v1/events/stream`, { headers: { cookie }, signal: ac.signal });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
      ac.abort();
    });

    it('a cookie-signed write needs the page header and this origin (CSRF)', async () => {
      const cookie = await signIn();
      const contact = await server.api(server.adminToken).post('/contacts', { firstName: 'Maria' });
      const path = `/contacts/${contact.body.id}`;
      const forged = await withCookie(cookie, 'PATCH', path, {}, { lastName: 'Forged' });
      expect(forged.status).toBe(403);
      expect(forged.body.error.message).toMatch(/x-inbox-companion/);
      const foreign = await withCookie(cookie, 'PATCH', path, { ...PAGE, origin: 'https://evil.example' }, { lastName: 'Forged' });
      expect(foreign.status).toBe(403);
      const fromPage = await withCookie(cookie, 'PATCH', path, { ...PAGE, origin: server.url }, { lastName: 'Garcia' });
      expect(fromPage.status).toBe(200);
      expect(fromPage.body.lastName).toBe('Garcia');
    });

    it('signing out revokes the cookie\'s token and clears the cookie; an expired session is refused', async () => {
      const cookie = await signIn();
      const out = await withCookie(cookie, 'DELETE', '/auth/inbox-session', PAGE);
      expect(out.status).toBe(204);
      expect(out.headers.getSetCookie().every((c) => /Max-Age=0/.test(c))).toBe(true);
      expect((await withCookie(cookie, 'GET', '/me')).status).toBe(401);

      const later = await signIn();
      await server.store.db.updateTable('tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('label', '=', 'inbox sign-in').execute();
      const expired = await withCookie(later, 'GET', '/me');
      expect(expired.status).toBe(401);
      expect(expired.body.error.message).toMatch(/expired/);
      // The extension's own token is untouched by all this.
      expect((await server.api(agent.token).get('/me')).status).toBe(200);
    });
  });
}
