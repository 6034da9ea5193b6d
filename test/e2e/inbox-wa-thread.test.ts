import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextWamid, whatsappPlainMessage } from '../fixtures/meta/payloads';
import { whatsappEdit } from '../fixtures/meta/message-kinds';
import { graphErrors } from '../support/graph-standin';
import { conversationOf, startChannelWorld, type ChannelWorld } from '../integration/channels/support';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// A WhatsApp thread in the built-in inbox, in Chromium, as a WhatsApp-first team reads it:
// messages Meta delivered late or out of order read as the customer wrote them, each at its send
// time, a late one saying when it arrived; a shared place is named once; a failed reply's Resend
// is a normal button, and the copy it sends sits where it went out.
// Payloads: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/text/
// (`timestamp` in Unix seconds), .../reference/messages/location; 131026:
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes

let w: ChannelWorld;
let inbox: InboxBrowser;
let page: Page;

const texts = (selector: string) => page.$$eval(selector, (els) => els.map((el) => el.textContent ?? ''));
const threadTexts = () => texts('[data-testid="message"] [data-testid="message-text"]');
/** A customer's WhatsApp message sent `secondsAgo` before now by Meta's clock, delivered now. */
function sentAgo(waId: string, name: string, text: string, secondsAgo: number, extra?: Record<string, unknown>) {
  const payload = whatsappPlainMessage({ waId, text, name });
  const message = payload.entry[0]!.changes[0]!.value.messages[0]! as Record<string, unknown>;
  message.timestamp = String(Math.floor(Date.now() / 1000) - secondsAgo);
  if (extra) { delete message.text; Object.assign(message, extra); }
  return payload;
}
async function deliver(payload: unknown) {
  expect((await w.deliver(payload)).status).toBe(200);
}
async function show(waId: string) {
  const { conversation } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${waId}`)}`);
  await page.goto(`${w.server.url}/inbox/c/${conversation.id}`);
  await page.waitForSelector(`[data-conversation-id="${conversation.id}"]:not([hidden])`);
  await page.waitForSelector('[data-testid="message"]');
  return conversation.id as string;
}

beforeAll(async () => {
  w = await startChannelWorld();
  const { token } = await w.server.createUser('agent', { name: 'Ava Agent' });
  inbox = await openSignedInInbox(w.server.url, token, { live: true });
  page = inbox.page;
});
afterAll(async () => {
  await inbox?.close();
  await w?.close();
});

describe('a WhatsApp thread in the inbox', () => {
  it('reads as the customer wrote it when the webhooks came in the wrong order; each bubble shows its send time', async () => {
    await deliver(sentAgo('233201234567', 'Kwame Mensah', '(2nd) The order number is R-77.', 0));
    await deliver(sentAgo('233201234567', 'Kwame Mensah', '(1st) Hi again, sorry for the delay.', 40));
    const id = await show('233201234567');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 2);
    expect(await threadTexts()).toEqual(['(1st) Hi again, sorry for the delay.', '(2nd) The order number is R-77.']);
    const sent = ((await w.server.api(w.server.adminToken).get(`/conversations/${id}`)).body.messages as { sentAt: string }[]).map((m) => m.sentAt);
    expect(await page.$$eval('[data-testid="message"] time', (els) => els.map((el) => el.getAttribute('datetime')))).toEqual(sent);
    // 40 seconds late is not "late": no arrival time.
    expect(await page.$('[data-testid="message-arrived"]')).toBeNull();
    expect(inbox.pageErrors).toEqual([]);
  });

  it('a message a day late shows when it was sent, with its date, and quietly when it arrived', async () => {
    await deliver(sentAgo('34612345678', 'Sofía Núñez', '¿Siguen abiertos mañana?', 28 * 3600));
    const id = await show('34612345678');
    const [message] = (await w.server.api(w.server.adminToken).get(`/conversations/${id}`)).body.messages as { sentAt: string; createdAt: string }[];
    const time = await page.$eval('[data-testid="message"] time', (el) => ({ datetime: el.getAttribute('datetime'), text: el.textContent ?? '', title: el.getAttribute('title') ?? '' }));
    expect(time.datetime).toBe(message!.sentAt);
    // Sent yesterday, under today's separator (where it came in): the bubble names its day.
    const sentDay = new Date(message!.sentAt).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
    expect(time.text).toContain(sentDay);
    expect(time.title).toMatch(/^Sent /);
    const arrived = await page.$eval('[data-testid="message-arrived"]', (el) => el.textContent ?? '');
    const clock = new Date(message!.createdAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    expect(arrived).toBe(`arrived ${clock}`);
  });

  it('a shared place is named once: its link, then the address', async () => {
    await deliver(sentAgo('351912345678', 'Inês Conceição', '', 0, {
      type: 'location', location: { latitude: 38.7075, longitude: -9.1364, name: 'Praça do Comércio', address: 'Praça do Comércio, 1100-148 Lisboa' },
    }));
    await show('351912345678');
    const bubble = await page.$eval('[data-testid="message"] .bubble', (el) => el.textContent ?? '');
    expect(bubble).toBe('📍 Praça do Comércio1100-148 Lisboa');
  });

  it('a message the customer edited reads its new words, marked “edited”, what it said before on hover; live, without a reload', async () => {
    const id = nextWamid();
    await deliver(whatsappPlainMessage({ waId: '5511987650001', text: 'Entrega na Rua A, 10', id, name: 'Bruna Lima' }));
    await show('5511987650001');
    expect(await page.$('[data-testid="message-edited"]')).toBeNull();
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/edit
    await deliver(whatsappEdit({ waId: '5511987650001', original: id, text: 'Entrega na Rua B, 20' }));
    await page.waitForSelector('[data-testid="message-edited"]');
    expect(await threadTexts()).toEqual(['Entrega na Rua B, 20']);
    const mark = await page.$eval('[data-testid="message-edited"]', (el) => ({ text: el.textContent, title: el.getAttribute('title') ?? '' }));
    expect(mark.text).toBe('edited');
    expect(mark.title).toMatch(/^Edited .*; before: “Entrega na Rua A, 10”$/);
    expect(inbox.pageErrors).toEqual([]);
  });

  it('a failed reply’s Resend is a button on one line beside the reason; the copy it sends sits where it went out', async () => {
    await deliver(sentAgo('306912345678', 'Παναγιώτης Παπαδόπουλος', 'Έχετε εκπτώσεις;', 0));
    const id = await show('306912345678');
    w.graph.failNext(graphErrors.undeliverable());
    await page.type('[data-testid="composer-input"]', 'Γεια σας! Here is your 20% code: SUMMER20');
    await page.click('[data-testid="send-button"]');
    await page.waitForSelector('[data-testid="resend-button"]');
    const box = await page.$eval('[data-testid="resend-button"]', (el) => {
      const r = el.getBoundingClientRect();
      return { width: r.width, height: r.height, lineHeight: parseFloat(getComputedStyle(el).lineHeight) || 16 };
    });
    // It had been a one-letter strip, 28.7 × 97.6 px ("R e s e n d").
    expect(box.width).toBeGreaterThan(box.height * 1.5);
    expect(box.height).toBeLessThan(box.lineHeight * 2 + 8);

    await deliver(sentAgo('306912345678', 'Παναγιώτης Παπαδόπουλος', 'Ευχαριστώ! 👍', 0));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 3);
    expect(await threadTexts()).toEqual(['Έχετε εκπτώσεις;', 'Γεια σας! Here is your 20% code: SUMMER20', 'Ευχαριστώ! 👍']);
    await page.click('[data-testid="resend-button"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="message"]:last-child [data-testid="delivery-status"]')?.textContent === 'Accepted by Meta');
    // The customer got it after their thanks: so it reads here too, and after a reload.
    expect(await threadTexts()).toEqual(['Έχετε εκπτώσεις;', 'Ευχαριστώ! 👍', 'Γεια σας! Here is your 20% code: SUMMER20']);
    await page.goto(`${w.server.url}/inbox/c/${id}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 3);
    expect(await threadTexts()).toEqual(['Έχετε εκπτώσεις;', 'Ευχαριστώ! 👍', 'Γεια σας! Here is your 20% code: SUMMER20']);
    expect(inbox.pageErrors).toEqual([]);
  });
});
