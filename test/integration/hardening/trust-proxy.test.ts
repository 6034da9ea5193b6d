import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, killHard, runToExit, spawnServer, type ServerProcess } from '../../support/process';
import { startTestServer, type TestServer } from '../../support/server';

// Behind the README's nginx, every request reached the server from the proxy's address: one
// anonymous client failing AUTH_FAILURES_PER_MINUTE times locked every user out (429 for valid
// tokens, renewable at will), and the login cookie never got Secure behind TLS termination.

let server: TestServer | undefined;
let proc: ServerProcess | undefined;
afterEach(async () => {
  await server?.close();
  if (proc) await killHard(proc);
  server = proc = undefined;
});

const start = async (env: Record<string, string>) => (server = await startTestServer({ workers: false, env: { AUTH_FAILURES_PER_MINUTE: '5', ...env } }));
const me = (s: TestServer, headers: Record<string, string>) => s.request('GET', '/api/v1/me', { headers });
const bearer = (token: string, forwardedFor?: string) => ({ authorization: `Bearer ${token}`, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) });

/** Six failed guesses from one client: the sixth is over the limit of five. */
async function flood(s: TestServer, forwardedFor?: string) {
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await me(s, bearer(`junk${i}`, forwardedFor))).status);
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
}

/** The inbox's login cookie for a user (the extension's one sign-in). */
async function inboxCookie(base: string, token: string) {
  const code = await fetch(`${base}/api/v1/auth/inbox-code`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(code.status).toBe(201);
  const session = await fetch(`${base}/api/v1/auth/inbox-session`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-inbox-companion': '1' }, body: JSON.stringify({ code: (await code.json()).code }),
  });
  expect(session.status).toBe(200);
  return session.headers.getSetCookie();
}
const cookieHeader = (setCookies: string[]) => setCookies.map((c) => c.split(';')[0]).join('; ');

/** POST /auth/inbox-session as the inbox page sends it: the Set-Cookie lines it answers. */
async function signInCookies(s: TestServer, headers: Record<string, string> = {}, token = s.adminToken) {
  const { code } = (await s.api(token).post('/auth/inbox-code')).body;
  const res = await s.request('POST', '/api/v1/auth/inbox-session', { headers: { 'x-inbox-companion': '1', ...headers }, body: { code } });
  expect(res.status).toBe(200);
  const cookies = res.headers.getSetCookie();
  expect(cookies).toHaveLength(2);
  return cookies;
}

describe('failed authentications from an address many clients share (no TRUST_PROXY: the proxy\'s)', () => {
  it('never refuse a valid token or inbox cookie; guesses keep getting 429s, and a token that could be guessed stays behind the limit', async () => {
    // The bootstrap admin's token is the operator's own here, of a guessable form.
    const s = await start({ COMPANION_ADMIN_TOKEN: 'letmein-2024' });
    const admin = (await s.api(s.adminToken).post('/users', { name: 'Second admin', email: 'admin2@example.com', role: 'admin' })).body;
    const agent = await s.createUser('agent');
    const cookie = cookieHeader(await inboxCookie(s.url, agent.token));
    await flood(s, '203.0.113.9');
    // The forwarded address is not believed without TRUST_PROXY: the admin looks like the guesser.
    expect((await me(s, bearer(admin.token, '198.51.100.7'))).status).toBe(200);
    expect((await me(s, bearer(agent.token))).status).toBe(200);
    expect((await me(s, { cookie })).status).toBe(200);
    for (const guess of ['junk-next', `ict_${'A'.repeat(43)}`]) {
      const res = await me(s, bearer(guess, '198.51.100.7'));
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('rate_limited');
    }
    // Tokens the companion issues carry 256 random bits; the operator's own may not: refused unread.
    expect((await me(s, bearer('letmein-2024'))).status).toBe(429);
    // A client's X-Forwarded-Proto is not believed either.
    for (const c of await signInCookies(s, { 'x-forwarded-proto': 'https' }, agent.token)) expect(c).not.toContain('; Secure');
  });
});

describe('TRUST_PROXY', () => {
  it('names the proxy: each client behind it has a limit of its own, and a forged X-Forwarded-For entry does not make a new one', async () => {
    const s = await start({ TRUST_PROXY: '127.0.0.1' });
    await flood(s, '203.0.113.9');
    expect((await me(s, bearer('junk-other', '198.51.100.7'))).status).toBe(401);
    // nginx appends the address it saw ($proxy_add_x_forwarded_for): what the client wrote before it is not believed.
    expect((await me(s, bearer('junk-forged', '10.9.9.9, 203.0.113.9'))).status).toBe(429);
    expect((await me(s, bearer(s.adminToken, '203.0.113.9'))).status).toBe(200);
  });

  it('the inbox login cookie is Secure when the trusted proxy says the request was https', async () => {
    const s = await start({ TRUST_PROXY: 'loopback' });
    for (const c of await signInCookies(s, { 'x-forwarded-proto': 'https' })) expect(c).toContain('; Secure');
    for (const c of await signInCookies(s, { 'x-forwarded-proto': 'http' })) expect(c).not.toContain('; Secure');
    for (const c of await signInCookies(s)) expect(c).not.toContain('; Secure');
  });

  it('the cookie is Secure when PUBLIC_URL is https (TLS ended before the server)', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-proxy-'));
    const admin = `ict_${'B'.repeat(43)}`;
    try {
      proc = await spawnServer({ DATA_DIR: dataDir, PUBLIC_URL: 'https://companion.example.com', COMPANION_ADMIN_TOKEN: admin }, await freePort());
      const cookies = await inboxCookie(proc.url, admin);
      expect(cookies).toHaveLength(2);
      for (const c of cookies) expect(c).toContain('; Secure');
    } finally {
      if (proc) await killHard(proc);
      proc = undefined;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it.each([
    ['1', 'TRUST_PROXY=1: a number of hops cannot tell the proxy from a client that reaches the server directly (Fastify 5 ignores it); give the proxy\'s address instead, e.g. TRUST_PROXY=127.0.0.1 for nginx on this machine'],
    ['127.0.0.1,nginx', 'TRUST_PROXY: "nginx" is not an IP address or CIDR range; give the proxy\'s addresses, comma-separated (e.g. 127.0.0.1 or 10.0.0.0/8), or true'],
  ])('TRUST_PROXY=%s stops the start with one line saying what to give', async (value, why) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'companion-proxy-'));
    try {
      const { code, out } = await runToExit({ DATA_DIR: dataDir, PORT: '0', TRUST_PROXY: value });
      expect(code).toBe(1);
      expect(out).toBe(`Inbox Companion did not start: ${why}`);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
