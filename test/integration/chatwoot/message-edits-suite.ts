import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CwStandinConversation, CwStandinMessage } from '../../support/chatwoot-standin';
import { messageUpdated } from '../../support/chatwoot-standin-edits';
import { waitFor } from '../../support/wait';
import { runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';
import { guestsAsked, janeOpens, mirrorOf, threadOf } from './message-updates';

/**
 * Registered by message-edits.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A message edited in
 * Chatwoot (a customer's edit through their channel) comes as
 * `message_updated`, which the companion acknowledged and dropped: its agents and workflows read
 * the words the customer had taken back. Now the mirrored message reads the new words, marked
 * edited with what it said before (as the Meta edits are), and nothing it started or answered
 * runs again; the same event for a status, a deletion or a file is not an edit, nor the words
 * Chatwoot renders for the channel, nor any change of a message that is not the customer's.
 */
export function chatwootMessageEditsSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() }); });
  afterEach(async () => { await p.close(); });

  let nextId = 61_000;
  /** Someone writes in Chatwoot and its message_created reaches the companion. */
  const writes = async (conv: CwStandinConversation, content: string, from: 'customer' | 'agent' = 'customer', file?: string) => {
    // Chatwoot's whole seconds, rounded up: a time a little ahead is stored as now, after what came before.
    const msg: CwStandinMessage = { id: ++nextId, content, message_type: from === 'customer' ? 0 : 1, private: false, created_at: Math.ceil(Date.now() / 1000), sender_type: from === 'customer' ? 'Contact' : 'User' };
    if (file) msg.attachments = [p.cw.fileAttachment(msg.id, { fileType: 'image', name: file })];
    conv.messages.push(msg);
    p.cw.touch(conv);
    expect((await p.hook(p.cw.messagePayload(conv.id, msg.id))).status).toBe(200);
    return msg;
  };

  it('a customer\'s edit: the message reads the new words, marked edited with what it said before; a status change and a repeat change nothing', async () => {
    const conv = await janeOpens(p);
    const msg = await writes(conv, 'Table for 3 at 8pm');
    const first = await p.hook(messageUpdated(p.cw, conv.id, msg.id, { content: 'Table for 4 at 8pm' }));
    expect(first.body).toMatchObject({ event: 'message_updated', handled: true });
    // Chatwoot marks it delivered, then read: message_updated again, with the same words.
    expect((await p.hook(messageUpdated(p.cw, conv.id, msg.id))).status).toBe(200);
    const second = messageUpdated(p.cw, conv.id, msg.id, { content: 'Table for 4 at 9pm' });
    expect((await p.hook(second, { deliveryId: 'edit-2' })).status).toBe(200);
    expect((await p.hook(second, { deliveryId: 'edit-2' })).body).toMatchObject({ duplicate: true });

    const [message] = await threadOf(p, conv);
    expect(message).toMatchObject({ text: 'Table for 4 at 9pm', direction: 'incoming' });
    expect(message!.edited).toMatchObject({ count: 2, previous: [{ text: 'Table for 3 at 8pm' }, { text: 'Table for 4 at 8pm' }] });
    expect((await mirrorOf(p, conv))!.lastMessage?.text).toBe('Table for 4 at 9pm');
  });

  it('an edited answer reads the new words, but the question it answered is not answered again and nothing starts', async () => {
    const { flow, conv, runOf } = await guestsAsked(p);
    const answer = await writes(conv, 'Two');
    await waitFor('the answer', async () => ((await runOf()).status === 'completed' ? true : undefined));
    const events = (await p.server.events()).length;
    const posted = p.cw.requests.filter((r) => r.method === 'POST').length;

    expect((await p.hook(messageUpdated(p.cw, conv.id, answer.id, { content: 'Three' }))).status).toBe(200);
    const messages = await threadOf(p, conv);
    expect(messages.map((m) => `${m.direction} ${m.kind}: ${m.text}${m.edited ? ' (edited)' : ''}`)).toEqual([
      'outgoing message: How many guests?',
      'incoming message: Three (edited)',
      'outgoing comment: Guests: Two',
    ]);
    expect((await p.server.events()).length).toBe(events);
    expect(await runsOf(p.server, flow.id)).toHaveLength(1);
    expect((await runOf()).stepLog.findLast((s) => s.stepId === 'ask')!.output).toMatchObject({ answer: 'Two' });
    expect(p.cw.requests.filter((r) => r.method === 'POST')).toHaveLength(posted);
  });

  it('a customer\'s older message edited is mirrored, punctuation alone too; a deletion, a file\'s update and a status change of an older message are not edits', async () => {
    const conv = await janeOpens(p);
    const photo = await writes(conv, '', 'customer', 'receipt.jpg');
    const later = await writes(conv, 'Thanks! Wrong address though');
    const order = await writes(conv, 'Deliver to Main St 5');
    const guests = await writes(conv, 'Table for 2-3 people');
    await writes(conv, 'Anything else?', 'agent');

    // The customer corrects older messages: no longer the conversation's last, so only the rendered HTML says it.
    expect((await p.hook(messageUpdated(p.cw, conv.id, order.id, { content: 'Deliver to Main St 7' }))).status).toBe(200);
    // Punctuation alone: the same letters and digits, another number of guests.
    expect((await p.hook(messageUpdated(p.cw, conv.id, guests.id, { content: 'Table for 23 people' }))).status).toBe(200);
    // A status change of the older messages (HTML only) and of the file, and a deletion.
    await p.hook(messageUpdated(p.cw, conv.id, order.id));
    await p.hook(messageUpdated(p.cw, conv.id, guests.id));
    await p.hook(messageUpdated(p.cw, conv.id, photo.id));
    const deleted = await p.hook(messageUpdated(p.cw, conv.id, later.id, { deleted: true }));
    expect(deleted.body.note).toMatch(/deleted in Chatwoot; its copy here is kept/);

    const shown = (await threadOf(p, conv)).map((m) => [m.direction, m.text, m.edited?.previous.map((e) => e.text) ?? null]);
    expect(shown).toEqual([
      ['incoming', '[image]', null],
      ['incoming', 'Thanks! Wrong address though', null],
      ['incoming', 'Deliver to Main St 7', ['Deliver to Main St 5']],
      ['incoming', 'Table for 23 people', ['Table for 2-3 people']],
      ['outgoing', 'Anything else?', null],
    ]);
  });

  it('the words Chatwoot renders for the channel are not an edit: an agent\'s reply never is (its status, a survey link), a customer\'s list or emphasis is not', async () => {
    const conv = await janeOpens(p);
    const styled = await writes(conv, '**Fixed**: [track it](https://t.example/1)', 'agent');
    const list = await writes(conv, '1. Pizza\n2. Coke *please*');
    const typed = await writes(conv, 'Size <b>M</b> please');
    const marked = await writes(conv, 'Table for **2-3**, "ASAP" [see](https://t.example/2)!');
    // Longer than a message here holds (4,096): stored cut, rendered whole.
    const long = await writes(conv, '**Line** '.repeat(600).trim());
    const reply = await writes(conv, 'Your order ships Monday', 'agent');
    await writes(conv, 'Anything else?', 'agent');

    // Delivered, then read (Messages::StatusUpdateService saves the message: message_updated), with
    // `content` rendered for the inbox's channel (app/services/messages/markdown_renderer_service.rb):
    // a web inbox's HTML (BaseMarkdownRenderer), a WhatsApp inbox's markup (markdown_renderers/
    // whats_app_renderer.rb: strong `*…*`, emph `_…_`, a link its address, list items `- `).
    const html = '<p><strong>Fixed</strong>: <a href="https://t.example/1" target="_blank" rel="noopener noreferrer nofollow">track it</a></p>\n';
    await p.hook({ ...messageUpdated(p.cw, conv.id, styled.id), content: html });
    await p.hook({ ...messageUpdated(p.cw, conv.id, styled.id), content: '*Fixed*: https://t.example/1' });
    await p.hook({ ...messageUpdated(p.cw, conv.id, list.id), content: '- Pizza\n- Coke _please_' });
    // CommonMarker leaves out the HTML a customer typed (raw HTML is rendered only when UNSAFE).
    await p.hook({ ...messageUpdated(p.cw, conv.id, typed.id), content: '<p>Size <!-- raw HTML omitted -->M<!-- raw HTML omitted --> please</p>\n' });
    // Its punctuation kept as typed (CommonMarker without SMART), HTML-escaped on the web.
    await p.hook({ ...messageUpdated(p.cw, conv.id, marked.id), content: '<p>Table for <strong>2-3</strong>, &quot;ASAP&quot; <a href="https://t.example/2" target="_blank" rel="noopener noreferrer nofollow">see</a>!</p>\n' });
    await p.hook({ ...messageUpdated(p.cw, conv.id, marked.id), content: 'Table for *2-3*, "ASAP" https://t.example/2!' });
    await p.hook({ ...messageUpdated(p.cw, conv.id, long.id), content: `<p>${'<strong>Line</strong> '.repeat(600).trim()}</p>\n` });
    // A CSAT answer or a translation saves the message too; the content then carries what
    // MessageContentPresenter adds (a survey link). Chatwoot lets nobody change an agent's words
    // (messages_controller.rb: update sets a status, destroy marks it deleted).
    await p.hook({ ...messageUpdated(p.cw, conv.id, reply.id), content: 'Your order ships Monday https://cw.example/survey/responses/9c2e' });

    const shown = (await threadOf(p, conv)).map((m) => [m.direction, m.text, m.edited ? 'edited' : null]);
    expect(shown).toEqual([
      ['outgoing', '**Fixed**: [track it](https://t.example/1)', null],
      ['incoming', '1. Pizza\n2. Coke *please*', null],
      ['incoming', 'Size <b>M</b> please', null],
      ['incoming', 'Table for **2-3**, "ASAP" [see](https://t.example/2)!', null],
      ['incoming', '**Line** '.repeat(600).slice(0, 4096), null],
      ['outgoing', 'Your order ships Monday', null],
      ['outgoing', 'Anything else?', null],
    ]);
  });
}
