import { afterEach, expect, it } from 'vitest';
import { ChatwootSyncResult } from '../../../lib/contracts/chatwoot';
import { ConversationList } from '../../../lib/contracts/conversations';
import { UserChanged } from '../../../lib/contracts/users';
import { cwFaults } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * Registered by unassign-later.test.ts (SQLite) and .pg.test.ts (PostgreSQL). Deactivating an agent
 * unassigns their Chatwoot conversations in Chatwoot too; one Chatwoot did not take for now (503
 * while it restarts) was only listed in the admin's answer (chatwootUnassignFailed) and stayed in
 * the departed agent's Chatwoot queue for good. Now each sync of the account tries it again, as a
 * workflow step Chatwoot put off is tried again, until Chatwoot takes it, says the conversation is
 * gone (404), or it is no longer wanted: the agent reactivated, the conversation assigned again.
 */
export function unassignLaterSuite(databaseUrl: () => string | undefined) {
  const ASSIGN = /^POST \/api\/v1\/accounts\/1\/conversations\/\d+\/assignments$/;
  let p: ChatwootPair;
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const assignments = () => p.cw.requests.filter((r) => ASSIGN.test(`${r.method} ${r.path}`)).map((r) => [Number(r.path.split('/')[6]), r.body]);
  const sync = async () => {
    const res = await admin().post(`/chatwoot/accounts/${p.account.id}/sync`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ChatwootSyncResult.parse(res.body);
  };

  /**
   * Bea (Chatwoot's agent 8) has a Chatwoot conversation of each of `names`; she is deactivated while
   * Chatwoot answers the unassign with nginx's 503 (one conversation) or is down (refused
   * connections, back right after): each is put off and owed.
   */
  async function beaLeaves(names: string[], chatwoot: '503' | 'down', config?: { chatwootSyncSeconds: number }) {
    p = await startChatwootPair({ databaseUrl: databaseUrl(), ...(config ? { workers: true, config } : {}) });
    const bea = await p.server.createUser('agent', { name: 'Bea', email: 'bea@example.com' });
    const convs = [];
    for (const name of names) {
      const conv = p.cw.addConversation({ contactId: p.cw.addContact({ name }).id, firstMessage: { content: `Hi, ${name} here`, incoming: true } });
      expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
      const mirror = ConversationList.parse((await admin().get('/conversations?status=open')).body).conversations.find((c) => c.externalId === String(conv.id))!;
      expect((await admin().post(`/conversations/${mirror.id}/assign`, { userId: bea.user.id })).status).toBe(200);
      convs.push({ conv, mirror });
    }
    if (chatwoot === '503') p.cw.failNext(ASSIGN, cwFaults.unavailable());
    else await p.cw.down();
    const res = await admin().patch(`/users/${bea.user.id}`, { active: false });
    if (chatwoot === 'down') await p.cw.up();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const changed = UserChanged.parse(res.body);
    expect(changed.chatwootUnassignFailed?.map((f) => [f.chatwootConversationId, f.retrying]).sort())
      .toEqual(convs.map(({ conv }) => [String(conv.id), true]).sort());
    // A periodic sync may have taken them already.
    if (!config) for (const { conv } of convs) expect(conv.assigneeId).toBe(8);
    p.cw.requests.length = 0;
    return { bea, convs };
  }

  it('Chatwoot answering 503: the next sync unassigns it there and says so; the one after asks nothing more', async () => {
    const { convs: [maria] } = await beaLeaves(['Maria'], '503');
    const synced = await sync();
    expect(maria!.conv.assigneeId).toBeNull();
    expect(assignments()).toEqual([[maria!.conv.id, { assignee_id: null }]]);
    expect(synced.notes).toEqual([`Conversation ${maria!.conv.id}: unassigned in Chatwoot from Bea, deactivated here (Chatwoot had put it off once)`]);
    p.cw.requests.length = 0;
    await sync();
    expect(assignments()).toEqual([]);
  });

  it('Chatwoot down, then still answering 503 at the next sync: kept, and taken by the one after', async () => {
    const { convs } = await beaLeaves(['Maria', 'Juan'], 'down');
    p.cw.failNext(/^GET \/api\/v1\/accounts\/1\/conversations\/\d+$/, cwFaults.unavailable(), cwFaults.unavailable());
    await admin().post(`/chatwoot/accounts/${p.account.id}/sync`);
    expect(assignments()).toEqual([]);
    await sync();
    expect(assignments().sort()).toEqual(convs.map(({ conv }) => [conv.id, { assignee_id: null }]).sort());
    for (const { conv } of convs) expect(conv.assigneeId).toBeNull();
  });

  it('Sync now while Chatwoot is still busy says what is owed; each try counts once, for the conversation tried', async () => {
    const { convs } = await beaLeaves(['Maria', 'Juan'], 'down');
    p.cw.failNext(ASSIGN, cwFaults.unavailable());
    const busy = await sync();
    expect(busy.notes).toContain('Chatwoot is still busy: 2 unassigns owed, tried again at the next sync');
    expect(assignments()).toHaveLength(1);
    const [tried] = assignments()[0]! as [number];
    const other = convs.find(({ conv }) => conv.id !== tried)!.conv.id;
    const done = ((await sync()).notes ?? []).filter((n) => n.includes('unassigned in Chatwoot'));
    // Put off at the deactivation, and the one tried by the busy sync once more: not every owed one.
    expect(done.sort()).toEqual([
      `Conversation ${other}: unassigned in Chatwoot from Bea, deactivated here (Chatwoot had put it off once)`,
      `Conversation ${tried}: unassigned in Chatwoot from Bea, deactivated here (Chatwoot had put it off 2 times)`,
    ].sort());
  });

  it('the periodic sync does it by itself (CHATWOOT_SYNC_SECONDS)', async () => {
    const { convs: [maria] } = await beaLeaves(['Maria'], '503', { chatwootSyncSeconds: 0.3 });
    await waitFor('Chatwoot to have unassigned it', async () => (maria!.conv.assigneeId === null ? true : undefined), 10_000);
  });

  it('assigned again meanwhile, here or in Chatwoot (its webhook lost): that assignment stands; the one still hers is unassigned', async () => {
    const { convs } = await beaLeaves(['Maria', 'Juan', 'Ana'], 'down');
    const [maria, juan, ana] = convs as [typeof convs[0], typeof convs[0], typeof convs[0]];
    // Maria's: Alex (Chatwoot's agent 7) takes it here. Juan's: given to Alex in Chatwoot, its webhook lost.
    const alex = await p.server.createUser('agent', { name: 'Alex', email: 'alex@example.com' });
    expect((await admin().post(`/conversations/${maria.mirror.id}/assign`, { userId: alex.user.id })).status).toBe(200);
    juan.conv.assigneeId = 7;
    p.cw.requests.length = 0;
    await sync();
    expect(assignments()).toEqual([[ana.conv.id, { assignee_id: null }]]);
    expect([maria.conv.assigneeId, juan.conv.assigneeId, ana.conv.assigneeId]).toEqual([7, 7, null]);
  });

  it('Bea reactivated before the sync: her conversation stays hers in Chatwoot; deactivated again, it is owed again', async () => {
    const { bea, convs: [maria] } = await beaLeaves(['Maria'], '503');
    expect((await admin().patch(`/users/${bea.user.id}`, { active: true })).status).toBe(200);
    await sync();
    expect(assignments()).toEqual([]);
    expect(maria!.conv.assigneeId).toBe(8);

    const mirror = maria!.mirror;
    expect((await admin().post(`/conversations/${mirror.id}/assign`, { userId: bea.user.id })).status).toBe(200);
    p.cw.failNext(ASSIGN, cwFaults.unavailable());
    const again = UserChanged.parse((await admin().patch(`/users/${bea.user.id}`, { active: false })).body);
    expect(again.chatwootUnassignFailed).toMatchObject([{ chatwootConversationId: String(maria!.conv.id), retrying: true }]);
    await sync();
    expect(maria!.conv.assigneeId).toBeNull();
  });

  it('deleted in Chatwoot meanwhile (404): given up, and the sync closes it here; the other is unassigned', async () => {
    const { convs: [gone, kept] } = await beaLeaves(['Maria', 'Juan'], 'down');
    p.cw.conversations.delete(gone!.conv.id);
    await sync();
    expect(assignments()).toEqual([[kept!.conv.id, { assignee_id: null }]]);
    const mirror = ConversationList.parse((await admin().get('/conversations')).body).conversations.find((c) => c.externalId === String(gone!.conv.id));
    expect(mirror).toMatchObject({ closeReason: 'deleted_in_chatwoot' });
    p.cw.requests.length = 0;
    await sync();
    expect(p.cw.requests.filter((r) => r.path.endsWith(`/conversations/${gone!.conv.id}`))).toEqual([]);
  });
}
