import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CwStandinConversation, CwStandinMessage } from '../../support/chatwoot-standin';
import { messageUpdated } from '../../support/chatwoot-standin-edits';
import { waitFor } from '../../support/wait';
import { runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';
import { guestsAsked, janeOpens, mirrorOf, threadOf } from './message-updates';

/**
 * Registered by missed-messages.test.ts (SQLite) and .pg.test.ts (PostgreSQL). Chatwoot sends each
 * webhook once (no retry): a lost `message_created` followed by a `message_updated` of the same
 * message (delivered, read, a reaction, an edit) stored nothing until the next sync, which brings
 * only a conversation's last message, so an older one never came. The update now stores it as its
 * message_created would have (customer, agent, note), once.
 */
export function chatwootMissedMessagesSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() }); });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  let nextId = 71_000;
  // Chatwoot's webhook times have milliseconds (message.rb webhook_data): each message a millisecond
  // or more after the one before (half a millisecond in, so seconds × 1000 reads back the same one).
  let lastMs = 0;
  const writtenAt = () => (lastMs = Math.max(Date.now(), lastMs + 1)) / 1000 + 0.0005;
  /** Someone writes in Chatwoot; its message_created is lost on the way unless `delivered`. */
  const writes = async (conv: CwStandinConversation, content: string, o: { from?: 'customer' | 'agent' | 'note'; delivered?: boolean } = {}) => {
    const from = o.from ?? 'customer';
    const msg: CwStandinMessage = { id: ++nextId, content, message_type: from === 'customer' ? 0 : 1, private: from === 'note', created_at: writtenAt(), sender_type: from === 'customer' ? 'Contact' : 'User' };
    conv.messages.push(msg);
    p.cw.touch(conv);
    if (o.delivered) expect((await p.hook(p.cw.messagePayload(conv.id, msg.id))).status).toBe(200);
    return msg;
  };
  const shown = async (conv: CwStandinConversation) =>
    (await threadOf(p, conv)).map((m) => `${m.direction} ${m.kind}: ${m.text}${m.edited ? ' (edited)' : ''}`);

  it('a customer\'s answer whose message_created was lost is stored by its next update and answers the question; a late message_created and a sync add nothing', async () => {
    const { flow, conv, runOf } = await guestsAsked(p);

    const answer = await writes(conv, 'Two');
    // Lost. The customer then edits it (Telegram's edited_message): message_updated, words as they are now.
    const update = await p.hook(messageUpdated(p.cw, conv.id, answer.id, { content: 'Three' }));
    expect(update.body).toMatchObject({ event: 'message_updated', handled: true, note: expect.stringMatching(/message_created was lost/) });
    await waitFor('the answer', async () => ((await runOf()).status === 'completed' ? true : undefined));
    expect((await runOf()).stepLog.findLast((s) => s.stepId === 'ask')!.output).toMatchObject({ answer: 'Three' });

    // Chatwoot marks it read (message_updated, same words), the lost message_created turns up late, a sync runs.
    await p.hook(messageUpdated(p.cw, conv.id, answer.id));
    expect((await p.hook({ ...p.cw.messagePayload(conv.id, answer.id), event: 'message_created' })).status).toBe(200);
    expect((await admin().post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);
    await waitFor('the note', async () => ((await shown(conv)).length === 3 ? true : undefined));
    expect(await shown(conv)).toEqual([
      'outgoing message: How many guests?',
      'incoming message: Three',
      'outgoing comment: Guests: Three',
    ]);
    expect(await runsOf(p.server, flow.id)).toHaveLength(1);
  });

  it('an agent\'s reply and a private note whose message_created was lost are stored as they would have been; another status changes nothing', async () => {
    const conv = await janeOpens(p);
    await writes(conv, 'Where is my order?', { delivered: true });
    const reply = await writes(conv, 'It ships today', { from: 'agent' });
    const note = await writes(conv, 'Checked the warehouse', { from: 'note' });
    await writes(conv, 'Thanks!', { delivered: true });
    // Delivered, then read: older messages, so their content is rendered (HTML for this web inbox).
    for (const m of [reply, note, reply]) expect((await p.hook(messageUpdated(p.cw, conv.id, m.id))).status).toBe(200);
    expect(await shown(conv)).toEqual([
      'incoming message: Where is my order?',
      'outgoing message: It ships today',
      'outgoing comment: Checked the warehouse',
      'incoming message: Thanks!',
    ]);
    // A person's reply: it set the conversation's first response time, as its message_created would.
    expect((await mirrorOf(p, conv))!.firstResponseAt).toBeTruthy();
  });

  it('an update of a message written before the account was connected stores nothing: history is not imported, only the last message', async () => {
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id });
    const yesterday = Math.floor(Date.now() / 1000) - 86_400;
    conv.created_at = yesterday;
    conv.messages.push(
      { id: ++nextId, content: 'Do you ship to Porto?', message_type: 0, private: false, created_at: yesterday, sender_type: 'Contact' },
      { id: ++nextId, content: 'Yes, in 2-3 days', message_type: 1, private: false, created_at: yesterday + 60, sender_type: 'User' },
      { id: ++nextId, content: 'Great, thanks', message_type: 0, private: false, created_at: yesterday + 120, sender_type: 'Contact' },
    );
    // The account's first sync imports it with its last message.
    expect((await admin().post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);
    const older = conv.messages[1]!;
    const res = await p.hook(messageUpdated(p.cw, conv.id, older.id));
    expect(res.body.note).toMatch(/written before the account was connected/);
    expect(await shown(conv)).toEqual(['incoming message: Great, thanks']);
  });

  it('an update of a message of a conversation never mirrored, or of a deleted one, stores nothing and says why', async () => {
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const unseen = p.cw.addConversation({ contactId: jane.id });
    const lost = await writes(unseen, 'Lost webhook');
    const res = await p.hook(messageUpdated(p.cw, unseen.id, lost.id, { content: 'Lost webhook, edited' }));
    expect(res.status).toBe(200);
    expect(res.body.note).toMatch(/not stored here; nor is its conversation/);
    expect(await mirrorOf(p, unseen)).toBeUndefined();

    const conv = await janeOpens(p);
    const gone = await writes(conv, 'Wrong chat, sorry');
    expect((await p.hook(messageUpdated(p.cw, conv.id, gone.id, { deleted: true }))).body.note).toMatch(/it was deleted there/);
    expect(await threadOf(p, conv)).toEqual([]);
  });
}
