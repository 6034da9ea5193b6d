import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRun, insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';
import { openSse } from '../support/sse';

/**
 * Admin operations on users over real HTTP: rename, change role, deactivate / reactivate
 * (PATCH /users/:id, DELETE /users/:id), a new token (POST /users/:id/token), and the cut-off
 * they promise. Run on SQLite (users-admin.test.ts) and PostgreSQL (users-admin.pg.test.ts).
 */
export function usersAdminSuite(databaseUrl: () => string | undefined = () => undefined) {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ databaseUrl: databaseUrl() }); });
  afterAll(async () => { await s?.close(); });

  const admin = () => s.api(s.adminToken);
  const PAGE = { 'x-inbox-companion': '1' };
  const adminId = async () => (await admin().get('/me')).body.user.id as string;

  /** An inbox login cookie of the user with `token`, as the extension's "Open inbox" makes one. */
  async function inboxCookie(token: string): Promise<string> {
    const code = await s.api(token).post('/auth/inbox-code');
    expect(code.status).toBe(201);
    const res = await s.request('POST', '/api/v1/auth/inbox-session', { headers: PAGE, body: { code: code.body.code } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }
  const withCookie = (cookie: string, path: string) => s.request('GET', `/api/v1${path}`, { headers: { cookie } });
  const stream = (headers: Record<string, string>, query = '') => openSse(`${s.url}/api/v1/events/stream${query}`, headers);

  describe('PATCH /users/:id', () => {
    it('renames a user and changes their role; /me and the user list follow at once', async () => {
      const bo = await s.createUser('agent', { name: 'Bo Agent' });
      const version = async () => (await s.api(bo.token).get('/shortcuts')).body.version as string;
      const before = await version();
      const renamed = await admin().patch(`/users/${bo.user.id}`, { name: '  Bo Berg ', role: 'supervisor' });
      expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
      expect(renamed.body).toMatchObject({ id: bo.user.id, name: 'Bo Berg', role: 'supervisor', active: true, deactivatedAt: null });
      const me = await s.api(bo.token).get('/me');
      expect(me.body).toMatchObject({ user: { name: 'Bo Berg', role: 'supervisor' }, permissions: { superviseAgents: true, configure: false } });
      // The extension's cache key moves with the role (restrictions.changed carries it).
      expect(await version()).not.toBe(before);
      // The new role's rights hold on the next request: a supervisor may list users, not create them.
      expect((await s.api(bo.token).get('/users')).status).toBe(200);
      expect((await s.api(bo.token).post('/users', { name: 'X', email: 'x@example.com', role: 'agent' })).status).toBe(403);
      const listed = (await admin().get('/users')).body.users.find((u: { id: string }) => u.id === bo.user.id);
      expect(listed).toMatchObject({ name: 'Bo Berg', role: 'supervisor', active: true });
    });

    it.each([
      [{}, /at least one of name, role or active/],
      [{ role: 'owner' }, /role/],
      [{ name: '   ' }, /Enter a name/],
      [{ email: 'new@example.com' }, /Only name, role and active can be changed \(not email\)/],
      [{ active: 'no' }, /active/],
    ])('refuses %j with 422 saying what is wrong', async (body, message) => {
      const bo = await s.createUser('agent');
      const res = await admin().patch(`/users/${bo.user.id}`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(JSON.stringify(res.body.error)).toMatch(message);
    });

    it('answers 404 for an unknown user', async () => {
      const res = await admin().patch('/users/usr_unknown', { name: 'X' });
      expect(res.status).toBe(404);
      expect((await admin().del('/users/usr_unknown')).status).toBe(404);
      expect((await admin().post('/users/usr_unknown/token')).status).toBe(404);
    });
  });

  describe('deactivating', () => {
    it('refuses their token, their inbox cookie and an unused sign-in code at once, with a message saying the account is deactivated', async () => {
      const ana = await s.createUser('agent', { name: 'Ana Agent' });
      const cookie = await inboxCookie(ana.token);
      const code = (await s.api(ana.token).post('/auth/inbox-code')).body.code as string;
      expect((await withCookie(cookie, '/me')).status).toBe(200);

      const res = await admin().patch(`/users/${ana.user.id}`, { active: false });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ id: ana.user.id, active: false, unassigned: 0, workflowsAssigning: [] });
      expect(Date.parse(res.body.deactivatedAt)).toBeGreaterThan(Date.now() - 60_000);

      for (const refused of [await s.api(ana.token).get('/me'), await s.api(ana.token).get('/conversations'), await withCookie(cookie, '/me')]) {
        expect(refused.status).toBe(401);
        expect(refused.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/account has been deactivated/) });
        expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      }
      const traded = await s.request('POST', '/api/v1/auth/inbox-session', { headers: PAGE, body: { code } });
      expect(traded.status).toBe(401);
      // A stream cannot be opened either.
      expect((await stream({ authorization: `Bearer ${ana.token}` })).status).toBe(401);
    });

    it('ends their open event streams (token and inbox cookie) with the reason, and leaves everyone else\'s open', async () => {
      const eve = await s.createUser('agent', { name: 'Eve Agent' });
      const other = await s.createUser('agent');
      const cookie = await inboxCookie(eve.token);
      const byToken = await stream({}, `?token=${encodeURIComponent(eve.token)}`);
      const byCookie = await stream({ cookie });
      const bystander = await stream({ authorization: `Bearer ${other.token}` });
      for (const sse of [byToken, byCookie, bystander]) await sse.waitFor(/: connected/);

      expect((await admin().patch(`/users/${eve.user.id}`, { active: false })).status).toBe(200);
      for (const sse of [byToken, byCookie]) {
        const ended = await sse.next('session.ended');
        expect(ended).toEqual({ type: 'session.ended', reason: expect.stringMatching(/account has been deactivated/) });
        await sse.ended;
      }
      // The others' streams go on and carry the change: the user, and the restrictions version
      // (what a deactivated agent's launcher may do changed), so extensions read theirs again.
      expect(await bystander.next('user.changed')).toEqual({ type: 'user.changed', userId: eve.user.id });
      expect(await bystander.next('restrictions.changed')).toMatchObject({ type: 'restrictions.changed', version: expect.any(String) });
      expect(bystander.text()).not.toMatch(/session\.ended/);
      bystander.close();
    });

    it('unassigns their open conversations (Chatwoot\'s way), keeps closed ones and their messages as history, and refuses assigning to them', async () => {
      const kim = await s.createUser('agent', { name: 'Kim Agent' });
      const c1 = (await admin().post('/contacts', { firstName: 'Open' })).body.id;
      const c2 = (await admin().post('/contacts', { firstName: 'Closed' })).body.id;
      const open = (await admin().post('/conversations', { contactId: c1 })).body.id;
      const closed = (await admin().post('/conversations', { contactId: c2 })).body.id;
      for (const id of [open, closed]) expect((await s.api(kim.token).post(`/conversations/${id}/assign`, { userId: kim.user.id })).status).toBe(200);
      const reply = await s.api(kim.token).post(`/conversations/${open}/messages`, { text: 'On it' });
      expect(reply.status).toBe(201);
      expect((await s.api(kim.token).post(`/conversations/${closed}/close`, {})).status).toBe(200);

      const res = await admin().patch(`/users/${kim.user.id}`, { active: false });
      expect(res.body).toMatchObject({ active: false, unassigned: 1 });
      expect((await admin().get(`/conversations/${open}`)).body.assigneeId).toBeNull();
      expect((await admin().get(`/conversations/${closed}`)).body.assigneeId).toBe(kim.user.id);
      const events = (await s.events('conversation.assigned')).filter((e) => e.payload.conversationId === open);
      expect(events.at(-1)).toMatchObject({ source: 'user', payload: { assigneeId: null } });
      // What they wrote still names them, and the user list still has their name for it.
      const detail = (await admin().get(`/conversations/${open}`)).body;
      expect(detail.messages).toContainEqual(expect.objectContaining({ text: 'On it', author: { type: 'user', id: kim.user.id } }));
      expect((await admin().get('/users')).body.users).toContainEqual(expect.objectContaining({ id: kim.user.id, name: 'Kim Agent', active: false }));

      const assign = await admin().post(`/conversations/${open}/assign`, { userId: kim.user.id });
      expect(assign.status).toBe(422);
      expect(assign.body.error.message).toMatch(/Kim Agent .* is deactivated and cannot be assigned/);
    });

    it('names the published workflows that assign to them, refuses publishing one that does, and an Assign step to them fails its run', async () => {
      const lou = await s.createUser('agent', { name: 'Lou Agent' });
      const steps = [{ id: 'a', type: 'assign_to', config: { userId: lou.user.id } }];
      const wf = await admin().post('/workflows', { name: 'Route to Lou', trigger: { type: 'manual' }, steps });
      expect(wf.status, JSON.stringify(wf.body)).toBe(201);
      expect((await admin().post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);
      const draft = await admin().post('/workflows', { name: 'Also Lou', trigger: { type: 'manual' }, steps });

      const res = await admin().patch(`/users/${lou.user.id}`, { active: false });
      expect(res.body.workflowsAssigning).toEqual([{ id: wf.body.id, name: 'Route to Lou' }]);
      const publish = await admin().post(`/workflows/${draft.body.id}/publish`);
      expect(publish.status).toBe(422);
      expect(JSON.stringify(publish.body)).toMatch(/Lou Agent is deactivated and cannot be assigned/);

      const services = s.app.services;
      const { contact, conversation } = await insertContact(services, { open: true });
      const flow = await insertWorkflow(services.db, makeWorkflow({ steps: steps as never }));
      const runId = await insertRun(services.db, { workflowId: flow.id, contactId: contact.id, conversationId: conversation!.id });
      services.runSignal.notify();
      const run = await waitForRun(services.db, runId);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/Lou Agent .* is deactivated and cannot be assigned/);
      expect((await getRun(services.db, runId)).status).toBe('failed');
    });

    it('reactivating lets their API token in again (inbox cookies stay revoked) and makes them assignable', async () => {
      const max = await s.createUser('agent', { name: 'Max Agent' });
      const cookie = await inboxCookie(max.token);
      expect((await admin().patch(`/users/${max.user.id}`, { active: false })).status).toBe(200);
      const back = await admin().patch(`/users/${max.user.id}`, { active: true });
      expect(back.body).toMatchObject({ active: true, deactivatedAt: null });
      expect(back.body.unassigned).toBeUndefined();
      expect((await s.api(max.token).get('/me')).status).toBe(200);
      const revoked = await withCookie(cookie, '/me');
      expect(revoked.status).toBe(401);
      expect(revoked.body.error.message).toMatch(/revoked/);
      const contact = (await admin().post('/contacts', { firstName: 'Again' })).body.id;
      const conversation = (await admin().post('/conversations', { contactId: contact })).body.id;
      expect((await admin().post(`/conversations/${conversation}/assign`, { userId: max.user.id })).status).toBe(200);
    });

    it('works for bots: a deactivated bot\'s API token is refused', async () => {
      const bot = await admin().post('/users', { name: 'Triage bot', email: `bot${Date.now()}@example.com`, role: 'agent', kind: 'bot' });
      expect((await s.api(bot.body.token).get('/me')).status).toBe(200);
      const res = await admin().patch(`/users/${bot.body.user.id}`, { active: false });
      expect(res.body).toMatchObject({ kind: 'bot', active: false });
      expect((await s.api(bot.body.token).post('/contacts', { firstName: 'Nope' })).status).toBe(401);
    });

    it('DELETE deactivates (no hard delete: history keeps the user), and is repeatable', async () => {
      const zoe = await s.createUser('supervisor', { name: 'Zoe Supervisor' });
      const gone = await admin().del(`/users/${zoe.user.id}`);
      expect(gone.status, JSON.stringify(gone.body)).toBe(200);
      expect(gone.body).toMatchObject({ id: zoe.user.id, name: 'Zoe Supervisor', active: false });
      expect((await s.api(zoe.token).get('/me')).status).toBe(401);
      expect((await admin().get('/users')).body.users).toContainEqual(expect.objectContaining({ id: zoe.user.id, active: false }));
      const again = await admin().del(`/users/${zoe.user.id}`, { headers: { 'content-type': 'application/json' } });
      expect(again.status).toBe(200);
      expect(again.body.active).toBe(false);
    });
  });

  describe('the workspace keeps an active admin', () => {
    it('refuses (409 last_admin) demoting or deactivating the only active admin, themselves included; with another admin it goes through', async () => {
      const me = await adminId();
      for (const body of [{ role: 'supervisor' }, { active: false }]) {
        const res = await admin().patch(`/users/${me}`, body);
        expect(res.status, JSON.stringify(res.body)).toBe(409);
        expect(res.body.error).toMatchObject({ code: 'last_admin', message: expect.stringMatching(/^You are the workspace's only active admin/) });
      }
      expect((await admin().del(`/users/${me}`)).status).toBe(409);
      expect((await admin().get('/me')).body.user).toMatchObject({ role: 'admin', active: true });

      const second = await s.createUser('admin', { name: 'Second Admin' });
      // A deactivated admin does not count.
      expect((await admin().patch(`/users/${second.user.id}`, { active: false })).status).toBe(200);
      expect((await admin().patch(`/users/${me}`, { role: 'agent' })).status).toBe(409);
      expect((await admin().patch(`/users/${second.user.id}`, { active: true })).status).toBe(200);

      // Now the first admin may step down; the second is then the last, for themselves and for anyone.
      const down = await admin().patch(`/users/${me}`, { role: 'supervisor' });
      expect(down.status).toBe(200);
      const last = await s.api(second.token).patch(`/users/${second.user.id}`, { active: false });
      expect(last.status).toBe(409);
      expect(last.body.error.message).toMatch(/only active admin/);
      expect((await s.api(second.token).patch(`/users/${me}`, { role: 'admin' })).status).toBe(200);
    });

    it('two admins deactivating each other at the same moment: one wins, one admin is left', async () => {
      const a = await s.createUser('admin', { name: 'Admin A' });
      const b = await s.createUser('admin', { name: 'Admin B' });
      // Everyone else steps aside, so that A and B are the only active admins.
      const others = (await admin().get('/users')).body.users.filter((u: { id: string; role: string; active: boolean }) =>
        u.role === 'admin' && u.active && u.id !== a.user.id && u.id !== b.user.id);
      for (const u of others) expect((await s.api(a.token).patch(`/users/${u.id}`, { role: 'agent' })).status).toBe(200);
      const [ab, ba] = await Promise.all([
        s.api(a.token).patch(`/users/${b.user.id}`, { active: false }),
        s.api(b.token).patch(`/users/${a.user.id}`, { active: false }),
      ]);
      // The loser is refused: 409 when it decided second, or 401 when its caller was deactivated by then.
      const statuses = [ab.status, ba.status];
      expect(statuses.filter((x) => x === 200), JSON.stringify([ab.body, ba.body])).toHaveLength(1);
      expect([409, 401]).toContain(statuses.find((x) => x !== 200));
      const admins = (await s.api(ab.status === 200 ? a.token : b.token).get('/users')).body.users.filter((u: { role: string; active: boolean }) => u.role === 'admin' && u.active);
      expect(admins).toHaveLength(1);
      // Back as it was for the other tests.
      const winner = ab.status === 200 ? a : b;
      for (const u of others) expect((await s.api(winner.token).patch(`/users/${u.id}`, { role: 'admin' })).status).toBe(200);
    });
  });

  describe('POST /users/:id/token', () => {
    it('gives a new token, shown once; the old token and the inbox cookies stop at once, and streams signed with them end', async () => {
      const ida = await s.createUser('agent', { name: 'Ida Agent' });
      const cookie = await inboxCookie(ida.token);
      const sse = await stream({ authorization: `Bearer ${ida.token}` });
      await sse.waitFor(/: connected/);

      const res = await admin().post(`/users/${ida.user.id}/token`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.user).toMatchObject({ id: ida.user.id, name: 'Ida Agent' });
      expect(res.body.token).toMatch(/^ict_/);
      expect(res.body.token).not.toBe(ida.token);

      const old = await s.api(ida.token).get('/me');
      expect(old.status).toBe(401);
      expect(old.body.error.message).toMatch(/revoked/);
      expect((await withCookie(cookie, '/me')).status).toBe(401);
      expect((await s.api(res.body.token).get('/me')).body.user.id).toBe(ida.user.id);
      expect(await sse.next('session.ended')).toMatchObject({ reason: expect.stringMatching(/revoked/) });
      await sse.ended;
      // Nothing of the token is kept readable: listing users never shows one.
      expect(JSON.stringify((await admin().get('/users')).body)).not.toContain(res.body.token);
    });

    it('lets any user renew their own token, but only an admin someone else\'s', async () => {
      const jo = await s.createUser('agent');
      const sup = await s.createUser('supervisor');
      const own = await s.api(jo.token).post(`/users/${jo.user.id}/token`);
      expect(own.status).toBe(200);
      expect((await s.api(jo.token).get('/me')).status).toBe(401);
      expect((await s.api(own.body.token).get('/me')).status).toBe(200);
      const theirs = await s.api(sup.token).post(`/users/${jo.user.id}/token`);
      expect(theirs.status).toBe(403);
      expect(theirs.body.error.message).toMatch(/Only an admin/);
      expect((await s.api(own.body.token).get('/me')).status).toBe(200);
    });

    it('renews a bot\'s API token', async () => {
      const bot = await admin().post('/users', { name: 'Report bot', email: `rbot${Date.now()}@example.com`, role: 'agent', kind: 'bot' });
      const res = await admin().post(`/users/${bot.body.user.id}/token`);
      expect(res.status).toBe(200);
      expect((await s.api(bot.body.token).get('/me')).status).toBe(401);
      expect((await s.api(res.body.token).get('/me')).body.user).toMatchObject({ kind: 'bot' });
    });
  });
}
