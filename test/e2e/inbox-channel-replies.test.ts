import { sql } from 'kysely';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wakeReplyRetries } from '../../server/channels/reply-retries';
import { messengerText, whatsappPlainMessage } from '../fixtures/meta/payloads';
import { graphErrors, type GraphErrorAnswer } from '../support/graph-standin';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from '../integration/channels/support';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// An agent's replies in the built-in inbox, in Chromium, when Meta's rules or Meta itself get in
// the way: once WhatsApp's 24-hour window has closed the composer offers Templates (pick an
// approved one, fill in its variables, read the body as the customer will, send); on Messenger the
// reply goes as a Human Agent reply for 7 days; a reply Meta refused for now is tried again by
// the server, one that failed has Resend. Templates as GET /{waba-id}/message_templates lists them:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management/

let w: ChannelWorld;
let inbox: InboxBrowser;
let page: Page;

// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (131026 Message Undeliverable)
const undeliverable = (): GraphErrorAnswer => ({
  status: 400, error: { message: '(#131026) Message Undeliverable.', type: 'OAuthException', code: 131026, error_data: { messaging_product: 'whatsapp', details: 'Message Undeliverable.' } },
});
const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const lastOutgoing = '[data-testid="message"][data-direction="outgoing"]:last-of-type';
/** The customer of this conversation wrote `hours` ago (Meta's clock and ours). */
const wroteAgo = (conversationId: string, hours: number) => {
  const at = new Date(Date.now() - hours * 3600_000).toISOString();
  return sql`UPDATE messages SET created_at = ${at}, sent_at = ${at} WHERE direction = 'incoming' AND conversation_id = ${conversationId}`.execute(w.server.store.db);
};
async function show(id: string) {
  await page.goto(`${w.server.url}/inbox/c/${id}`);
  await page.waitForSelector(`[data-conversation-id="${id}"]:not([hidden])`);
  await page.waitForSelector('[data-testid="channel-window"]:not([hidden])');
}
async function reply(message: string) {
  await page.type('[data-testid="composer-input"]', message);
  await page.click('[data-testid="send-button"]');
}

beforeAll(async () => {
  w = await startChannelWorld();
  w.graph.addBusinessAccount({ id: WA.businessAccountId, token: WA.token, templates: [
    { id: '7001', name: 'order_ready', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'POSITIONAL', components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready for pickup.' }] },
    { id: '7004', name: 'login_code', language: 'en_US', status: 'APPROVED', category: 'AUTHENTICATION', components: [
      { type: 'BODY', text: '{{1}} is your verification code.' }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] }] },
  ] });
  const { token } = await w.server.createUser('agent', { name: 'Rita Agent' });
  inbox = await openSignedInInbox(w.server.url, token, { live: true });
  page = inbox.page;
});
afterAll(async () => {
  await inbox?.close();
  await w?.close();
});

describe('agent replies on Meta channels in the inbox', () => {
  it('after 24 hours on WhatsApp: Templates lists the approved ones, asks for the variables, previews and sends; the message reads as the customer sees it', async () => {
    await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Is my order ready?', name: 'Ana Lima' }));
    const { conversation } = await conversationOf(w.server, 'phone=%2B14155550123');
    await wroteAgo(conversation.id, 30);
    await show(conversation.id);
    await page.waitForSelector('[data-testid="composer"].window-closed');
    expect(await page.$eval('[data-testid="send-button"]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(await text('[data-testid="channel-window"]')).toMatch(/Send a template \(Templates\)\.$/);

    await page.click('[data-testid="template-button"]');
    await page.waitForSelector('[data-testid="template-dialog"][open]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="template-select"] option').length === 3);
    const options = await page.$$eval('[data-testid="template-select"] option', (os) => os.map((o) => ({ text: o.textContent, disabled: (o as HTMLOptionElement).disabled })));
    expect(options.slice(1)).toEqual([
      { text: 'login_code · en_US (a one-time code is sent by a workflow)', disabled: true },
      { text: 'order_ready · en_US', disabled: false },
    ]);
    await page.select('[data-testid="template-select"]', '1');
    const params = await page.$$('[data-testid="template-parameter"]');
    expect(params).toHaveLength(2);
    expect(await page.$eval('[data-testid="template-send"]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await params[0]!.type('Ana');
    expect(await text('[data-testid="template-preview"]')).toBe('Hi Ana, your order {{2}} is ready for pickup.');
    await params[1]!.type('A-1042');
    expect(await text('[data-testid="template-preview"]')).toBe('Hi Ana, your order A-1042 is ready for pickup.');
    await page.click('[data-testid="template-send"]');

    await page.waitForSelector('[data-testid="template-dialog"]:not([open])');
    await page.waitForFunction((sel) => document.querySelector(`${sel} [data-testid="delivery-status"]`)?.textContent === 'Accepted by Meta', {}, lastOutgoing);
    expect(await text(`${lastOutgoing} [data-testid="message-text"]`)).toBe('Hi Ana, your order A-1042 is ready for pickup.');
    expect(w.graph.sent.map((s) => s.body.template)).toEqual([{ name: 'order_ready', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'A-1042' }] }] }]);
  });

  it('a reply that failed has Resend, which sends it once (a double click too); one refused for now is tried again by the server', async () => {
    await w.deliver(whatsappPlainMessage({ waId: '14155550124', text: 'Where is my invoice?', name: 'Bo Chen' }));
    const { conversation } = await conversationOf(w.server, 'phone=%2B14155550124');
    await show(conversation.id);
    const before = w.graph.sent.length;
    w.graph.failNext(undeliverable());
    await reply('Here is your invoice');
    await page.waitForSelector('[data-testid="delivery-status"][data-status="failed"]');
    expect(await text('[data-testid="delivery-status"][data-status="failed"]')).toMatch(/^Failed: .*131026/);
    expect(await page.$eval('[data-testid="composer-input"]', (t) => (t as HTMLTextAreaElement).value)).toBe('');
    await page.click('[data-testid="resend-button"]', { count: 2 });
    await page.waitForFunction((sel) => document.querySelector(`${sel} [data-testid="delivery-status"]`)?.textContent === 'Accepted by Meta', {}, lastOutgoing);
    expect(await page.$('[data-testid="resend-button"]')).toBeNull();
    expect(w.graph.sent.slice(before).map((s) => s.body.text.body)).toEqual(['Here is your invoice']);

    // Meta throttling (130429, three quick attempts): not sent yet, and the server sends it later by itself.
    w.graph.failNext(graphErrors.waThroughput(), graphErrors.waThroughput(), graphErrors.waThroughput());
    await reply('It went out by post too');
    await page.waitForSelector('[data-testid="delivery-status"][data-status="retrying"]');
    expect(await text('[data-testid="delivery-status"][data-status="retrying"]')).toMatch(/^Not sent yet, will try again: Meta error 130429/);
    expect(await page.$('[data-testid="resend-button"]')).toBeNull();
    await w.server.store.db.updateTable('reply_sends').set({ next_attempt_at: new Date(Date.now() - 1000).toISOString() }).where('next_attempt_at', 'is not', null).execute();
    wakeReplyRetries(w.server.app.services);
    await page.waitForFunction(() => !document.querySelector('[data-testid="delivery-status"][data-status="retrying"]'));
    expect(w.graph.sent.slice(before).map((s) => s.body.text.body)).toEqual(['Here is your invoice', 'It went out by post too']);
    expect(inbox.pageErrors).toEqual([]);
  });

  it('after 24 hours on Messenger the composer stays on and the reply goes as a Human Agent reply', async () => {
    await w.deliver(messengerText({ psid: '4871203918', text: 'Do you ship to Lisbon?' }));
    const { conversation } = await conversationOf(w.server, 'q=3918');
    await wroteAgo(conversation.id, 30);
    await show(conversation.id);
    expect(await text('[data-testid="channel-window"]')).toMatch(/^Messenger: the 24-hour window is closed, so your reply is sent as a Human Agent reply \(Meta allows it up to 7 days after the customer’s last message: until /);
    expect(await page.$eval('[data-testid="send-button"]', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    expect(await page.$eval('[data-testid="template-button"]', (b) => (b as HTMLButtonElement).hidden)).toBe(true);
    await reply('Yes, we ship to Lisbon');
    await page.waitForFunction((sel) => document.querySelector(`${sel} [data-testid="delivery-status"]`)?.textContent === 'Accepted by Meta', {}, lastOutgoing);
    expect(w.graph.sent.at(-1)!.body).toEqual({ recipient: { id: '4871203918' }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Yes, we ship to Lisbon', metadata: expect.stringMatching(/^inbox-companion:msg_/) } });
    expect(inbox.pageErrors).toEqual([]);
  });
});
