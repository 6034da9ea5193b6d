import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// Supervisors turn shortcuts off for agents (as respond.io and Chatwoot let supervisors manage
// agents). Supervisors and admins can always launch, so a switch on them is refused, not kept.

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ workers: false }); });
afterAll(async () => s?.close());

describe('PATCH /users/:id/restrictions', () => {
  it.each([
    ['a supervisor', 'an admin', 'admin'],
    ['a supervisor', 'another supervisor', 'supervisor'],
    ['an admin', 'a supervisor', 'supervisor'],
  ] as const)('%s switching shortcuts off for %s gets 422, and nothing changes', async (_caller, _target, role) => {
    const caller = _caller === 'an admin' ? s.adminToken : (await s.createUser('supervisor')).token;
    const target = await s.createUser(role);
    const res = await s.api(caller).patch(`/users/${target.user.id}/restrictions`, { shortcutsEnabled: false });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('not_an_agent');
    expect(res.body.error.message).toMatch(/apply to agents only/);
    const me = (await s.api(target.token).get('/me')).body;
    expect(me.user.shortcutsEnabled).toBe(true);
    expect(me.permissions.launchShortcuts).toBe(true);
  });

  it('a supervisor switching an agent\'s shortcuts off still works', async () => {
    const supervisor = await s.createUser('supervisor');
    const agent = await s.createUser('agent');
    const res = await s.api(supervisor.token).patch(`/users/${agent.user.id}/restrictions`, { shortcutsEnabled: false });
    expect(res.status).toBe(200);
    expect(res.body.shortcutsEnabled).toBe(false);
    expect((await s.api(agent.token).get('/me')).body.permissions.launchShortcuts).toBe(false);
  });
});
