import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationList, Message } from '../../../lib/contracts/conversations';
import type { CwStandinConversation, CwStandinMessage } from '../../support/chatwoot-standin';
import { messageUpdated } from '../../support/chatwoot-standin-edits';
import { startChatwootPair, type ChatwootPair } from './harness';

// What a Chatwoot webhook carries of a WhatsApp customer's words (chatwoot/chatwoot @ 79381a4c,
// shared FACTS §1): the top-level `content` is MessageContentPresenter#outgoing_content, the text
// rendered for the inbox's channel by Messages::MarkdownRendererService (for WhatsApp
// markdown_renderers/whats_app_renderer.rb: CommonMark emphasis `*hi*` comes out `_hi_`, strong
// `**hi**` as `*hi*`); `conversation.messages[]` holds the conversation's last non-activity,
// non-private message as Message#push_event_data, the row's own attributes, so its `content` (and
// `processed_message_content`) is what the customer sent (app/presenters/conversations/
// event_data_presenter.rb push_messages @ 01ff5794). A customer's edit (Telegram::UpdateMessageService)
// only saves the new `content`: no earlier text, no "edited" flag in content_attributes.

describe('a WhatsApp customer\'s words in Chatwoot\'s webhooks: as sent where the payload has them', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  let nextId = 81_000;
  const opened = async () => {
    p.cw.inboxes.push({ id: 9, name: 'WhatsApp', channel_type: 'Channel::Whatsapp' });
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id, inboxId: 9 });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    return conv;
  };
  const writes = async (conv: CwStandinConversation, content: string, rendered: string, delivered: boolean) => {
    const msg: CwStandinMessage = { id: ++nextId, content, message_type: 0, private: false, created_at: Date.now() / 1000, sender_type: 'Contact' };
    conv.messages.push(msg);
    p.cw.touch(conv);
    if (delivered) expect((await p.hook({ ...p.cw.messagePayload(conv.id, msg.id, false), content: rendered })).status).toBe(200);
    return msg;
  };
  /** message_updated with the top-level content as WhatsApp's renderer gives it. */
  const updated = (conv: CwStandinConversation, msg: CwStandinMessage, rendered: string, content?: string) =>
    p.hook({ ...messageUpdated(p.cw, conv.id, msg.id, content === undefined ? {} : { content }, false), content: rendered });
  const shown = async (conv: CwStandinConversation) => {
    const mirror = ConversationList.parse((await admin().get('/conversations')).body).conversations.find((c) => c.externalId === String(conv.id))!;
    return ((await admin().get(`/conversations/${mirror.id}`)).body.messages as unknown[]).map((m) => Message.parse(m)).map((m) => `${m.text}${m.edited ? ' (edited)' : ''}`);
  };

  it('a lost message_created of the last message is stored from its update as the customer wrote it (*hi*), not as rendered (_hi_)', async () => {
    const conv = await opened();
    const msg = await writes(conv, '*hi* there', '_hi_ there', false);
    const res = await updated(conv, msg, '_hi_ there');
    expect(res.body.note).toMatch(/message_created was lost/);
    expect(await shown(conv)).toEqual(['*hi* there']);
  });

  it('an edit of the last message that only adds markup is an edit; a status update of it is not', async () => {
    const conv = await opened();
    const msg = await writes(conv, 'hi there', 'hi there', true);
    await updated(conv, msg, 'hi there');
    expect(await shown(conv)).toEqual(['hi there']);
    await updated(conv, msg, '_hi_ there', '*hi* there');
    expect(await shown(conv)).toEqual(['*hi* there (edited)']);
  });
});
