import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killHard, spawnServer, type ServerProcess } from '../../support/process';
import { redactText, redactUrl } from '../../../server/logging';

// Issue 14: no token, key or webhook URL token is written to the log, at any level.
const ADMIN = `ict_${randomBytes(24).toString('base64url')}`;
let server: ServerProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'companion-log-'));
  server = await spawnServer({ LOG_LEVEL: 'debug', DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, AUTH_FAILURES_PER_MINUTE: '1000' }, await freePort());
}, 60_000);
afterAll(async () => { await killHard(server); await rm(dataDir, { recursive: true, force: true }); });

const call = async (method: string, p: string, token?: string, body?: unknown) => {
  const res = await fetch(server.url + p, {
    method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
};

/** The pino lines of the server's output (the first-start banner is printed once, on purpose, and is not the log). */
const logLines = () => server.output().split('\n').filter((l) => l.startsWith('{'));

describe('the log at LOG_LEVEL=debug', () => {
  it('holds none of the tokens a user and a sender used', async () => {
    const secrets: string[] = [ADMIN];
    const agent = await call('POST', '/api/v1/users', ADMIN, { name: 'Bo', email: 'bo@example.com', role: 'agent' });
    expect(agent.status).toBe(201);
    secrets.push(agent.body.token);
    // The inbox as an agent uses it: the page, its API calls, and its live stream (?token=).
    expect((await call('GET', '/inbox')).status).toBe(200);
    expect((await call('GET', '/api/v1/me', agent.body.token)).status).toBe(200);
    expect((await call('GET', '/api/v1/conversations?status=open', agent.body.token)).status).toBe(200);
    const stream = new AbortController();
    const live = await fetch(`${server.url}/api/v1/events/stream?token=${encodeURIComponent(agent.body.token)}`, { signal: stream.signal });
    expect(live.status).toBe(200);
    stream.abort();
    // Mistakes people make: a token in an API URL, a wrong token, a malformed header.
    expect((await call('GET', `/api/v1/me?token=${agent.body.token}`)).status).toBe(401);
    const wrong = `ict_${randomBytes(24).toString('base64url')}`;
    secrets.push(wrong);
    expect((await call('GET', '/api/v1/me', wrong)).status).toBe(401);
    // A webhook workflow and its URL, used by a sender; unknown URLs too.
    await call('POST', '/api/v1/contacts', ADMIN, { phone: '+14155550123' });
    const wf = await call('POST', '/api/v1/workflows', ADMIN, {
      name: 'hook', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' } },
      steps: [{ id: 's', type: 'add_comment', config: { text: 'hi' } }],
    });
    expect(wf.status).toBe(201);
    expect((await call('POST', `/api/v1/workflows/${wf.body.id}/publish`, ADMIN)).status).toBe(200);
    const hookPath = new URL(wf.body.trigger.url).pathname;
    secrets.push(hookPath.split('/').pop()!);
    expect((await call('POST', hookPath, undefined, { phone: '+14155550123' })).status).toBe(202);
    // A refused delivery (an identifier that is an object; a phone that is not one is accepted with a note).
    expect((await call('POST', hookPath, undefined, { phone: { nested: 'not a phone' } })).status).toBe(422);
    const unknownHook = randomBytes(32).toString('base64url');
    secrets.push(unknownHook);
    expect((await call('POST', `/hooks/${unknownHook}`, undefined, {})).status).toBe(404);
    const chatwoot = randomBytes(16).toString('hex');
    secrets.push(chatwoot);
    await call('POST', `/chatwoot/webhook/${chatwoot}`, undefined, {});
    const verify = randomBytes(12).toString('hex');
    secrets.push(verify);
    await call('GET', `/meta/webhook?hub.mode=subscribe&hub.verify_token=${verify}&hub.challenge=1`);

    await new Promise((r) => setTimeout(r, 300));
    const lines = logLines();
    expect(lines.length).toBeGreaterThan(10); // debug logging is on and requests are in it
    expect(lines.some((l) => l.includes('/api/v1/events/stream?token=[redacted]'))).toBe(true);
    for (const secret of secrets) {
      const leaks = lines.filter((l) => l.includes(secret));
      expect(leaks, `a secret is in the log: ${leaks[0]}`).toEqual([]);
    }
  });
});

describe('redaction', () => {
  it.each([
    ['/api/v1/events/stream?token=abc&x=1', '/api/v1/events/stream?token=[redacted]&x=[redacted]'],
    ['/hooks/AbC-123_x', '/hooks/[redacted]'],
    ['/hooks/AbC?x=1', '/hooks/[redacted]?x=[redacted]'],
    ['/chatwoot/webhook/tok123/extra', '/chatwoot/webhook/[redacted]/extra'],
    ['/api/v1/contacts', '/api/v1/contacts'],
  ])('%s is logged as %s', (url, logged) => expect(redactUrl(url)).toBe(logged));

  it('scrubs bearer tokens and secrets quoted in messages', () => {
    expect(redactText('sent Bearer ict_abcdefghijkl and whsec_abcdefghijklmnop')).toBe('sent Bearer [redacted] and whsec_[redacted]');
  });
});
