import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../fixtures/meta/payloads';
import { graphErrors } from '../support/graph-standin';
import type { Api } from '../support/server';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from '../integration/channels/support';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The composer and the list of the built-in inbox on WhatsApp conversations, in Chromium: after
// WhatsApp's 131047 the composer says the window is closed and a failed reply offers a template,
// as when the window closes by time; a reply too long for WhatsApp is counted and refused before
// Send; a draft survives a colleague closing the conversation and the agent reopening it; the list
// says a reply failed, and a reopened conversation previews what was said last.
// 131047 / 131026: https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes;
// WhatsApp's text body limit (4,096): https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages

let w: ChannelWorld;
let inbox: InboxBrowser;
let page: Page;
let supervisor: Api;

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const disabled = (selector: string) => page.$eval(selector, (el) => (el as HTMLButtonElement).disabled);
const composerValue = () => page.$eval('[data-testid="composer-input"]', (t) => (t as HTMLTextAreaElement).value);
async function customer(waId: string, name: string, message: string) {
  expect((await w.deliver(whatsappPlainMessage({ waId, text: message, name }))).status).toBe(200);
  return (await conversationOf(w.server, `phone=${encodeURIComponent(`+${waId}`)}`)).conversation.id as string;
}
async function show(id: string) {
  await page.goto(`${w.server.url}/inbox/c/${id}`);
  await page.waitForSelector(`[data-conversation-id="${id}"]:not([hidden])`);
  await page.waitForSelector('[data-testid="channel-window"]:not([hidden])');
}
/** Puts `value` in the composer as a paste would (one input event). */
const paste = (value: string) => page.$eval('[data-testid="composer-input"]', (t, v) => {
  (t as HTMLTextAreaElement).value = v;
  t.dispatchEvent(new Event('input', { bubbles: true }));
}, value);
const row = (id: string) => `[data-testid="conversation-item"][data-id="${id}"]`;

beforeAll(async () => {
  w = await startChannelWorld();
  w.graph.addBusinessAccount({ id: WA.businessAccountId, token: WA.token, templates: [
    { id: '7001', name: 'order_ready', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'POSITIONAL', components: [{ type: 'BODY', text: 'Hi {{1}}, your order is ready.' }] },
  ] });
  supervisor = w.server.api((await w.server.createUser('supervisor', { name: 'Sam Supervisor' })).token);
  const { token } = await w.server.createUser('agent', { name: 'Ava Agent' });
  inbox = await openSignedInInbox(w.server.url, token, { live: true });
  page = inbox.page;
});
afterAll(async () => {
  await inbox?.close();
  await w?.close();
});

describe('the composer and the list on WhatsApp conversations', () => {
  it('after WhatsApp refuses a reply with 131047 the composer says the window is closed and the failed reply offers a template', async () => {
    const id = await customer('34911234567', 'María José', 'Hola, ¿mi pedido?');
    await show(id);
    expect(await text('[data-testid="channel-window"]')).toMatch(/^WhatsApp: replies go to the customer/);
    w.graph.failNext(graphErrors.reEngagement());
    await page.type('[data-testid="composer-input"]', 'Hola María, ya sale hoy');
    await page.click('[data-testid="send-button"]');
    await page.waitForSelector('[data-testid="delivery-status"][data-status="failed"]');
    await page.waitForSelector('[data-testid="composer"].window-closed');
    expect(await text('[data-testid="channel-window"]')).toMatch(/^WhatsApp: WhatsApp refused a reply as sent more than 24 hours after the customer last wrote .* Send a template \(Templates\)\.$/);
    expect(await disabled('[data-testid="send-button"]')).toBe(true);
    expect(await page.$('[data-testid="resend-button"]')).toBeNull();
    await page.click('[data-testid="send-template-button"]');
    await page.waitForSelector('[data-testid="template-dialog"][open]');
    await page.keyboard.press('Escape');
    // The list says the latest reply did not go.
    await page.waitForSelector(`${row(id)} [data-testid="preview-failed"]`);
    expect(await text(`${row(id)} .item-preview`)).toBe('Failed · You: Hola María, ya sale hoy');
    expect(inbox.pageErrors).toEqual([]);
  });

  it('a reply too long for WhatsApp is counted near the limit and refused in plain words before Send', async () => {
    const id = await customer('351961234567', 'Inês Conceição', 'Podem enviar os termos?');
    await show(id);
    await paste('a'.repeat(100));
    expect(await page.$eval('[data-testid="composer-count"]', (el) => (el as HTMLElement).hidden)).toBe(true);
    await paste('a'.repeat(3700));
    expect(await text('[data-testid="composer-count"]')).toBe('3,700 / 4,096');
    expect(await disabled('[data-testid="send-button"]')).toBe(false);
    await paste('a'.repeat(5000));
    expect(await text('[data-testid="composer-count"]')).toBe('WhatsApp messages can be at most 4,096 characters (yours has 5,000)');
    expect(await disabled('[data-testid="send-button"]')).toBe(true);
    const sent = w.graph.sent.length;
    await page.focus('[data-testid="composer-input"]');
    await page.keyboard.press('Enter');
    await new Promise((r) => setTimeout(r, 300));
    expect(w.graph.sent).toHaveLength(sent);
    expect((await composerValue()).length).toBe(5000);
    expect(await page.$('[data-testid="error-banner"]:not([hidden])')).toBeNull();
    // A note is not sent to WhatsApp: its limit is the inbox's own.
    await page.click('[data-testid="note-toggle"]');
    expect(await text('[data-testid="composer-count"]')).toBe('Notes can be at most 4,096 characters (yours has 5,000)');
  });

  it('a draft typed before a colleague closed the conversation goes on in the one Reopen opens; the reopened row previews the last message', async () => {
    const id = await customer('233201234567', 'Kwame Mensah', 'Any news on my refund?');
    await show(id);
    await page.type('[data-testid="composer-input"]', 'Thanks Kwame, refund R-77 was issued today');
    expect((await supervisor.post(`/conversations/${id}/close`, {})).status).toBe(200);
    await page.waitForSelector('[data-testid="closed-notice"]:not([hidden])');
    await page.click('[data-testid="closed-notice-action"]');
    await page.waitForFunction((old) => {
      const shown = document.querySelector('[data-conversation-id]')?.getAttribute('data-conversation-id');
      return shown && shown !== old && document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Open';
    }, {}, id);
    const reopened = (await page.$eval('[data-conversation-id]', (el) => el.getAttribute('data-conversation-id')))!;
    expect(await composerValue()).toBe('Thanks Kwame, refund R-77 was issued today');
    // Its row shows what was said last, not the phone number.
    await page.waitForSelector(row(reopened));
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'Any news on my refund?', {}, `${row(reopened)} .item-preview`);
    // Sent from there, it goes to the customer on the reopened conversation.
    await page.click('[data-testid="send-button"]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="message"] [data-testid="message-text"]')].some((el) => el.textContent === 'Thanks Kwame, refund R-77 was issued today'));
    expect(await composerValue()).toBe('');
    expect(inbox.pageErrors).toEqual([]);
  });
});
