import { afterEach, beforeEach, expect, it } from 'vitest';
import { ChatwootSyncResult } from '../../../lib/contracts/chatwoot';
import { describePg, pgUrl } from '../../support/postgres';
import { createWorkflow, runsOf } from '../engine-support';
import { before, importedEvents, startChatwootPair, type ChatwootPair } from './harness';

describePg('the first Chatwoot sync imports silently on PostgreSQL', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ databaseUrl: pgUrl() }); });
  afterEach(async () => { await p.close(); });

  it('runs only for the conversation opened since the connection, and counts only it as repaired', async () => {
    const opened = await createWorkflow(p.server, { name: 'o', trigger: { type: 'conversation_opened' }, steps: [{ id: 'n', type: 'add_comment', config: { text: 'Welcome!' } }] });
    const jane = p.cw.addContact({ name: 'Jane' });
    before(p.cw.addConversation({ contactId: jane.id, labels: ['vip'], firstMessage: { content: 'Hi', incoming: true } }));
    const dan = p.cw.addContact({ name: 'Dan' });
    p.cw.addConversation({ contactId: dan.id, firstMessage: { content: 'Hello?', incoming: true } });
    const sync = async () => ChatwootSyncResult.parse((await p.server.api(p.server.adminToken).post(`/chatwoot/accounts/${p.account.id}/sync`)).body);
    const first = await sync();
    expect(await runsOf(p.server, opened.id)).toHaveLength(1);
    expect(await importedEvents(p)).toEqual(['contact.created', 'conversation.opened', 'contact.tag_added', 'message.created']);
    // Dan's contact, conversation and message: news; Jane's: imported.
    expect(first.repaired).toBe(3);
    expect((await sync()).repaired).toBe(0);
  });
});
