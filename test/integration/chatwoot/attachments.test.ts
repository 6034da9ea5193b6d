import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChatwootPair, type ChatwootPair } from './harness';

// Files a customer sends in Chatwoot are kept as the message's attachments (Attachment#push_event_data:
// file_type, data_url, fallback_title), as WhatsApp and Messenger media are, so the inbox shows
// them and the API gives them; a file without text reads "[image]", "[file]" as channel media does.
describe('Chatwoot attachments', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair(); });
  afterEach(async () => { await p.close(); });

  const now = () => Math.floor(Date.now() / 1000);

  it('keeps a message\'s files with their Chatwoot address and name, its text as the caption', async () => {
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hi', incoming: true } });
    await p.hook(p.cw.messagePayload(conv.id, conv.messages[0]!.id));

    const photo = { id: 9101, content: 'Here is the damage', message_type: 0 as const, private: false, created_at: now(), sender_type: 'Contact' as const };
    conv.messages.push({ ...photo, attachments: [p.cw.fileAttachment(photo.id, { fileType: 'image', name: 'damage.jpg' })] });
    const invoice = { id: 9102, content: '', message_type: 0 as const, private: false, created_at: now(), sender_type: 'Contact' as const };
    conv.messages.push({ ...invoice, attachments: [p.cw.fileAttachment(invoice.id, { fileType: 'file', name: 'invoice 42.pdf' })] });
    // A location: the external URL and its title (location_metadata), no file.
    const place = { id: 9103, content: '', message_type: 0 as const, private: false, created_at: now(), sender_type: 'Contact' as const };
    conv.messages.push({ ...place, attachments: [{ id: 1, message_id: place.id, file_type: 'location', account_id: p.cw.accountId, data_url: 'https://maps.google.com/?q=52.52,13.40', fallback_title: 'Main St 5' }] });
    for (const m of [photo, invoice, place]) expect((await p.hook(p.cw.messagePayload(conv.id, m.id))).status).toBeLessThan(300);

    const list = await p.server.api(p.server.adminToken).get('/conversations');
    const detail = await p.server.api(p.server.adminToken).get(`/conversations/${list.body.conversations[0].id}`);
    expect(detail.body.messages.slice(1).map((m: { text: string; attachments?: unknown }) => ({ text: m.text, attachments: m.attachments }))).toEqual([
      { text: 'Here is the damage', attachments: [{ type: 'image', url: conv.messages[1]!.attachments![0]!.data_url, filename: 'damage.jpg' }] },
      { text: '[file]', attachments: [{ type: 'file', url: conv.messages[2]!.attachments![0]!.data_url, filename: 'invoice 42.pdf' }] },
      { text: '[location]', attachments: [{ type: 'location', url: 'https://maps.google.com/?q=52.52,13.40', caption: 'Main St 5' }] },
    ]);
  });

  it('an attachment Chatwoot describes oddly is left out, never the message', async () => {
    const contact = p.cw.addContact({ name: 'Ann Lee' });
    const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hi', incoming: true } });
    const odd = { id: 9201, content: 'See attached', message_type: 0 as const, private: false, created_at: now(), sender_type: 'Contact' as const };
    conv.messages.push({ ...odd, attachments: [{ id: 2, message_id: odd.id, account_id: p.cw.accountId, data_url: 'https://x.example/a' } as never, p.cw.fileAttachment(odd.id, { fileType: 'audio', name: 'note.ogg' })] });
    expect((await p.hook(p.cw.messagePayload(conv.id, odd.id))).status).toBeLessThan(300);
    const list = await p.server.api(p.server.adminToken).get('/conversations');
    const detail = await p.server.api(p.server.adminToken).get(`/conversations/${list.body.conversations[0].id}`);
    expect(detail.body.messages.at(-1)).toMatchObject({ text: 'See attached', attachments: [{ type: 'audio', filename: 'note.ogg' }] });
  });

  it('the customer\'s file that opens a conversation is its first incoming message, as "[image]"', async () => {
    const contact = p.cw.addContact({ name: 'Bo Chen' });
    const conv = p.cw.addConversation({ contactId: contact.id });
    const first = { id: 9301, content: '', message_type: 0 as const, private: false, created_at: now(), sender_type: 'Contact' as const };
    conv.messages.push({ ...first, attachments: [p.cw.fileAttachment(first.id, { fileType: 'image', name: 'photo.png' })] });
    await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    const list = await p.server.api(p.server.adminToken).get('/conversations');
    expect(list.body.conversations[0].firstIncomingMessage).toBe('[image]');
  });
});
