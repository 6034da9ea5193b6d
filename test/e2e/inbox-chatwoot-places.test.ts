import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatwootPair, type ChatwootPair } from '../integration/chatwoot/harness';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The built-in inbox (dist/inbox) in Chromium on Chatwoot conversations: the badge names the
// Chatwoot inbox, a conversation Chatwoot deleted reads as such, and one of an account
// disconnected since says that what is written here stays here.

let p: ChatwootPair;
let inbox: InboxBrowser;
let page: Page;

const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const admin = () => p.server.api(p.server.adminToken);

async function mirrored(inboxId: number, name: string) {
  const contact = p.cw.addContact({ name });
  const conv = p.cw.addConversation({ contactId: contact.id, inboxId, firstMessage: { content: `Hello from ${name}`, incoming: true } });
  await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
  const list = (await admin().get('/conversations?limit=200')).body.conversations as { id: string; externalId: string }[];
  return { conv, id: list.find((c) => c.externalId === String(conv.id))!.id };
}

async function show(id: string) {
  await page.goto(`${p.server.url}/inbox/c/${id}`);
  await page.waitForSelector(`[data-conversation-id="${id}"] [data-testid="conversation-title"]`);
  await page.waitForSelector('[data-testid="conversation-inbox"]:not([hidden])');
}

beforeAll(async () => {
  p = await startChatwootPair({ beforeConnect: async (_s, cw) => { cw.inboxes.push({ id: 4, name: 'WhatsApp Support', channel_type: 'Channel::Whatsapp' }); } });
  inbox = await openSignedInInbox(p.server.url, p.server.adminToken);
  page = inbox.page;
});

afterAll(async () => {
  await inbox?.close();
  await p?.close();
});

describe('the inbox on Chatwoot conversations: which inbox, deleted there, account disconnected', () => {
  it('names the Chatwoot inbox in the badge', async () => {
    const { conv, id } = await mirrored(4, 'Wanda');
    await show(id);
    expect(await text('[data-testid="conversation-inbox"]')).toBe(`Chatwoot · WhatsApp Support #${conv.id}`);
    expect(inbox.pageErrors).toEqual([]);
  });

  it('says a conversation was deleted in Chatwoot', async () => {
    const { conv, id } = await mirrored(3, 'Spammy');
    p.cw.conversations.delete(conv.id);
    expect((await admin().post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);
    await show(id);
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-status"]')?.textContent === 'Closed — deleted in Chatwoot');
    expect(inbox.pageErrors).toEqual([]);
  });

  it('marks a conversation of a disconnected account, whose replies stay here', async () => {
    const { conv, id } = await mirrored(4, 'Dora');
    expect((await admin().del(`/chatwoot/accounts/${p.account.id}`)).status).toBe(200);
    await show(id);
    await page.waitForFunction((n) => document.querySelector('[data-testid="conversation-inbox"]')?.textContent === `Chatwoot (disconnected) · WhatsApp Support #${n}`, {}, conv.id);
    expect(await page.$eval('[data-testid="conversation-inbox"]', (a) => a.getAttribute('title'))).toMatch(/whose account is disconnected: nothing done here reaches Chatwoot until it is connected again/);
    expect(await page.$eval('[data-testid="composer-input"]', (el) => (el as HTMLTextAreaElement).placeholder)).toMatch(/^Write a reply \(kept here only: its Chatwoot account is disconnected\)/);
    expect(inbox.pageErrors).toEqual([]);
  });
});
