import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationDetail } from '../../lib/contracts/conversations';
import { ErrorBody } from '../../lib/contracts/errors';
import { SHORTCUT_UNAVAILABLE, ShortcutList } from '../../lib/contracts/shortcuts';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * Registered by shortcut-deactivated-assignee.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A
 * shortcut whose workflow assigns to someone since deactivated: before, it stayed in every agent's
 * menu and each launch ran its first steps (a note to the customer's thread here) and then failed
 * at the Assign step. Now the menu marks it unavailable with the reason, and a launch from a menu
 * read earlier is refused (409) before any step runs; reactivating them brings it back.
 */
export function shortcutDeactivatedAssigneeSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: Api;
  let hana: string;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
    ava = server.api((await server.createUser('agent', { name: 'Ava Agent' })).token);
    hana = (await server.createUser('agent', { name: 'Hana Agent' })).user.id;
  });
  afterEach(async () => { await server.close(); });

  const shortcuts = async () => ShortcutList.parse((await ava.get('/shortcuts')).body);
  const REASON = 'Unavailable: it assigns to Hana Agent, who is deactivated; an admin must choose someone else in its workflow';

  it('is marked unavailable in GET /shortcuts, refused at launch before any step runs, and back once they are reactivated', async () => {
    const escalate = await createWorkflow(server, shortcutWorkflow({
      name: 'Escalate to Hana', trigger: { type: 'shortcut', name: 'Escalate' },
      steps: [{ id: 'note', type: 'add_comment', config: { text: 'Escalating' } }, { id: 'hand', type: 'assign_to', config: { userId: hana } }],
    }));
    const refund = await createWorkflow(server, shortcutWorkflow());
    const before = await shortcuts();
    expect(before.shortcuts.map((s) => [s.name, s.unavailable])).toEqual([['Escalate', undefined], ['Refund', undefined]]);

    const off = await admin.patch(`/users/${hana}`, { active: false });
    expect(off.body.workflowsAssigning).toEqual([{ id: escalate.id, name: 'Escalate to Hana' }]);
    const after = await shortcuts();
    // The extension's cache reads it again: the list's version changed with the deactivation.
    expect(after.version).not.toBe(before.version);
    expect(after.shortcuts.map((s) => [s.name, s.unavailable])).toEqual([['Escalate', REASON], ['Refund', undefined]]);

    const contact = (await admin.post('/contacts', { firstName: 'Lena' })).body.id as string;
    const conversationId = (await admin.post('/conversations', { contactId: contact })).body.id as string;
    const refused = await ava.post(`/shortcuts/${escalate.id}/launch`, { conversationId, values: {} });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(ErrorBody.parse(refused.body)).toEqual({ error: {
      code: SHORTCUT_UNAVAILABLE,
      message: '“Escalate” cannot run: it assigns to Hana Agent, who is deactivated; an admin must choose someone else in its workflow',
    } });
    // Nothing ran: no run, no note, no "Ava launched" line.
    expect(await server.events('shortcut.launched')).toEqual([]);
    expect(ConversationDetail.parse((await ava.get(`/conversations/${conversationId}`)).body).messages).toEqual([]);
    // The others still launch.
    expect((await ava.post(`/shortcuts/${refund.id}/launch`, { conversationId, values: {} })).status).toBe(202);

    expect((await admin.patch(`/users/${hana}`, { active: true })).status).toBe(200);
    expect((await shortcuts()).shortcuts.map((s) => s.unavailable)).toEqual([undefined, undefined]);
    expect((await ava.post(`/shortcuts/${escalate.id}/launch`, { conversationId, values: {} })).status).toBe(202);
  });
}
