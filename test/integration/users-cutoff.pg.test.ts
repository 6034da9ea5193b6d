import { expect, it } from 'vitest';
import type { RunningServer } from '../../server/server';
import { describePg, pgInstances } from '../support/postgres';
import { openSse } from '../support/sse';

// Two instances on one PostgreSQL: an admin deactivating a user, or giving them a new token,
// through one instance cuts them off on the other at once: requests are refused (nothing caches
// tokens), and their open event stream there is ended (`user.changed` crosses over LISTEN/NOTIFY).
describePg('cutting a user off across two instances (PostgreSQL)', () => {
  const instances = pgInstances(2, { workers: [true, false] });

  const call = async (server: RunningServer, token: string, method: string, p: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1${p}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
    return { status: res.status, body: await res.json().catch(() => undefined) as any };
  };

  it('deactivation on one instance ends the user\'s stream and refuses their token on the other', async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const admin = a.tokens.admin!;
    const created = await call(a, admin, 'POST', '/users', { name: 'Far Agent', email: `far${Date.now()}@example.com`, role: 'agent' });
    expect(created.status).toBe(201);
    const { user, token } = created.body as { user: { id: string }; token: string };
    expect((await call(b, token, 'GET', '/me')).status).toBe(200);
    const sse = await openSse(`${b.url}/api/v1/events/stream`, { authorization: `Bearer ${token}` });
    await sse.waitFor(/: connected/);

    const startedAt = Date.now();
    expect((await call(a, admin, 'PATCH', `/users/${user.id}`, { active: false })).status).toBe(200);
    const refused = await call(b, token, 'GET', '/me');
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/account has been deactivated/);
    expect(await sse.next('session.ended', 2000)).toMatchObject({ reason: expect.stringMatching(/deactivated/) });
    await sse.ended;
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it('a new token given on one instance ends the stream signed with the old one on the other', async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const admin = a.tokens.admin!;
    const created = await call(a, admin, 'POST', '/users', { name: 'Leaky Bot', email: `leaky${Date.now()}@example.com`, role: 'agent', kind: 'bot' });
    const { user, token } = created.body as { user: { id: string }; token: string };
    const sse = await openSse(`${b.url}/api/v1/events/stream?token=${encodeURIComponent(token)}`);
    await sse.waitFor(/: connected/);

    const renewed = await call(a, admin, 'POST', `/users/${user.id}/token`);
    expect(renewed.status).toBe(200);
    expect((await call(b, token, 'GET', '/me')).status).toBe(401);
    expect((await call(b, renewed.body.token, 'GET', '/me')).status).toBe(200);
    expect(await sse.next('session.ended', 2000)).toMatchObject({ reason: expect.stringMatching(/revoked/) });
    await sse.ended;
  });
});
