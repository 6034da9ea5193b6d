import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page, Target } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messengerAttachments, whatsappDocument, whatsappImage } from '../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from '../integration/channels/support';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// What customers send besides text, in the built-in inbox in Chromium: a Messenger image and PDF
// (https addresses on Meta's CDN) as a thumbnail and a named link, WhatsApp media (Meta's media
// id) fetched through the companion with the agent's own credentials, addresses that are not
// https never linked. The CDN is answered here (request interception): the page's CSP must let it in.

// A 2×1 PNG.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000010806000000f4227f8a0000000e49444154789c63f8cfc00042ff010ff903fd851199760000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const CDN = 'https://scontent.xx.fbcdn.net';

let w: ChannelWorld;
let inbox: InboxBrowser;
let page: Page;
let downloads = '';
const cdnRequests: string[] = [];

async function show(query: string) {
  const { conversation } = await conversationOf(w.server, query);
  await page.goto(`${w.server.url}/inbox/c/${conversation.id}`);
  await page.waitForSelector(`[data-conversation-id="${conversation.id}"]:not([hidden])`);
  await page.waitForSelector('[data-testid="message-list"] [data-testid="attachment"]');
  return conversation;
}
const loadedImages = () => page.$$eval('[data-testid="attachment"][data-kind="image"] img', (imgs) =>
  imgs.map((i) => ({ src: (i as HTMLImageElement).src, loaded: (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth === 2 })));

beforeAll(async () => {
  w = await startChannelWorld();
  await w.deliver(messengerAttachments({
    psid: '5550003333',
    attachments: [{ type: 'image', url: `${CDN}/v/t1.15752-9/photo_n.png?stp=dst-png&oh=1` }, { type: 'file', url: `https://cdn.fbsbx.com/v/t59.2708-21/123_n.pdf/invoice-2041.pdf?_nc_cat=1` }],
  }));
  await w.deliver(messengerAttachments({ psid: '5550004444', attachments: [{ type: 'file', url: 'javascript:alert(document.cookie)' }, { type: 'image', url: 'http://tracker.example/pixel.png' }] }));
  w.graph.addMedia({ id: '8800112233', phoneNumberId: WA.phoneNumberId, mimeType: 'image/png', body: PNG });
  await w.deliver(whatsappImage({ waId: '14155550170', caption: 'The dent on the lid', mediaId: '8800112233' }));
  w.graph.addMedia({ id: '8800112244', phoneNumberId: WA.phoneNumberId, mimeType: 'application/pdf', body: PDF });
  await w.deliver(whatsappDocument({ waId: '14155550171', mediaId: '8800112244', filename: 'warranty.pdf' }));

  inbox = await openSignedInInbox(w.server.url, w.server.adminToken, { live: true });
  page = inbox.page;
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    if (!req.url().startsWith(CDN)) return void req.continue();
    cdnRequests.push(req.url());
    void req.respond({ status: 200, contentType: 'image/png', body: PNG });
  });
  downloads = await mkdtemp(path.join(tmpdir(), 'inbox-downloads-'));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
});

afterAll(async () => {
  await inbox?.close();
  await w?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

describe('attachments in the inbox', () => {
  it('shows a Messenger image as a thumbnail opening the full image, and a PDF as a link with its name', async () => {
    await show('q=3333');
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="attachment"] img')].every((i) => i.complete && i.naturalWidth > 0));
    expect(await loadedImages()).toEqual([{ src: `${CDN}/v/t1.15752-9/photo_n.png?stp=dst-png&oh=1`, loaded: true }]);
    expect(cdnRequests).toHaveLength(1);
    const links = await page.$$eval('[data-testid="attachment"] a', (as) => as.map((a) => ({
      kind: a.closest('[data-testid="attachment"]')!.getAttribute('data-kind'), href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel'), text: a.textContent,
    })));
    expect(links).toEqual([
      { kind: 'image', href: `${CDN}/v/t1.15752-9/photo_n.png?stp=dst-png&oh=1`, target: '_blank', rel: 'noopener noreferrer', text: '' },
      { kind: 'file', href: 'https://cdn.fbsbx.com/v/t59.2708-21/123_n.pdf/invoice-2041.pdf?_nc_cat=1', target: '_blank', rel: 'noopener noreferrer', text: '📄 invoice-2041.pdf' },
    ]);
    // "[image]" was only the stored text of a message without one.
    expect(await page.$$eval('[data-testid="message-text"]', (els) => els.map((e) => e.textContent))).toEqual([]);
  });

  it('never links or loads an address that is not https', async () => {
    await show('q=4444');
    expect(await page.$$('[data-testid="attachment"] a, [data-testid="attachment"] img')).toEqual([]);
    expect(await page.$$eval('[data-testid="attachment"]', (els) => els.map((e) => e.textContent))).toEqual([
      'File: File (not an https link, not opened from the inbox)',
      'Image: pixel.png (not an https link, not opened from the inbox)',
    ]);
    expect(await page.$('a[href^="javascript"]')).toBeNull();
  });

  it('fetches a WhatsApp image through the companion and shows it with its caption', async () => {
    const conversation = await show('phone=%2B14155550170');
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="attachment"] img')].some((i) => i.complete && i.naturalWidth > 0));
    const [img] = await loadedImages();
    expect(img).toMatchObject({ loaded: true, src: expect.stringMatching(/^blob:/) });
    expect(await page.$eval('[data-testid="attachment"] a', (a) => a.getAttribute('href'))).toMatch(/^blob:/);
    expect(await page.$$eval('[data-testid="message-text"]', (els) => els.map((e) => e.textContent))).toEqual(['The dent on the lid']);
    expect(w.graph.requests.filter((r) => r.path === '/v21.0/8800112233')).toHaveLength(1);
    // A click opens the full image in a tab of its own.
    const opened = new Promise<Target>((resolve) => inbox.browser.once('targetcreated', resolve));
    await page.click('[data-testid="attachment"] a');
    const tab = (await (await opened).page())!;
    await tab.waitForFunction(() => { const i = document.querySelector('img'); return !!i && i.complete && i.naturalWidth === 2; });
    expect(tab.url()).toMatch(/^blob:/);
    await tab.close();
    expect(conversation.messages[0].attachments).toEqual([{ type: 'image', mediaId: '8800112233', caption: 'The dent on the lid', mimeType: 'image/jpeg' }]);
  });

  it('downloads a WhatsApp document under its name when the agent clicks it', async () => {
    await show('phone=%2B14155550171');
    expect(await page.$eval('[data-testid="attachment"][data-kind="file"] button', (b) => b.textContent)).toBe('📄 warranty.pdf');
    await page.click('[data-testid="attachment"][data-kind="file"] button');
    const file = path.join(downloads, 'warranty.pdf');
    for (let i = 0; i < 100 && !(await readdir(downloads)).includes('warranty.pdf'); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await readFile(file)).equals(PDF)).toBe(true);
    expect(inbox.pageErrors).toEqual([]);
  });
});
