import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { connectExtension, launchWithExtension, type ExtensionBrowser } from './support/browser';

// One sign-in: connect the extension once, then "Open inbox" in the popup signs the built-in
// inbox in (one-time code in the URL fragment, traded for an HttpOnly cookie), in real Chromium.

let server: TestServer;
let ext: ExtensionBrowser;
let inbox: Page;
let agent: { id: string; token: string };
let conversationId = '';
const requested: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const a = await server.createUser('agent', { name: 'Ada Agent' });
  agent = { id: a.user.id, token: a.token };
  const admin = server.api(server.adminToken);
  const contact = await admin.post('/contacts', { firstName: 'Maria', lastName: 'Garcia' });
  conversationId = (await admin.post('/conversations', { contactId: contact.body.id })).body.id;
  await admin.post(`/conversations/${conversationId}/messages`, { text: 'Where is my order?', direction: 'incoming' });
  ext = await launchWithExtension();
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('Open inbox from the popup', () => {
  it('opens the built-in inbox signed in as the connected user, without a token anywhere in the page', async () => {
    const popup = await connectExtension(ext, server.url, agent.token);
    const opened = ext.browser.waitForTarget((t) => t.url().startsWith(`${server.url}/inbox`), { timeout: 10_000 });
    await (await popup.waitForSelector('::-p-aria(Open inbox[role="button"])'))!.click();
    inbox = (await (await opened).page())!;
    inbox.on('request', (r) => requested.push(r.url()));
    await inbox.waitForSelector('[data-testid="inbox"]', { visible: true, timeout: 10_000 });
    expect(await inbox.$eval('[data-testid="me-name"]', (el) => el.textContent)).toBe('Ada Agent');
    // The code left the address bar; no token in storage; the login cookie is not readable by scripts.
    expect(new URL(inbox.url()).hash).toBe('');
    expect(await inbox.evaluate(() => localStorage.length)).toBe(0);
    expect(await inbox.evaluate(() => document.cookie)).not.toMatch(/ic_inbox_session/);
    const cookies = await ext.browser.cookies();
    const session = cookies.find((c) => c.name === 'ic_inbox_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(session?.value).not.toBe(agent.token);
    await inbox.waitForSelector('[data-testid="live-state"][data-state="live"]', { timeout: 10_000 });
  });

  it('works like a token sign-in: reads, live updates and sends through the API as the user', async () => {
    await inbox.waitForSelector('[data-testid="conversation-item"]');
    await inbox.click('[data-testid="conversation-item"] a');
    await inbox.waitForSelector('[data-testid="message-text"]');
    await inbox.type('[data-testid="composer-input"]', 'On its way!');
    await inbox.keyboard.press('Enter');
    await inbox.waitForFunction(() => [...document.querySelectorAll('[data-testid="message-text"]')].some((m) => m.textContent === 'On its way!'));
    const detail = await server.api(server.adminToken).get(`/conversations/${conversationId}`);
    const sent = detail.body.messages.find((m: { text: string }) => m.text === 'On its way!');
    expect(sent.author).toEqual({ type: 'user', id: agent.id });
    // A change made elsewhere arrives over the cookie-signed stream.
    await server.api(server.adminToken).post(`/conversations/${conversationId}/messages`, { text: 'Thanks!', direction: 'incoming' });
    await inbox.waitForFunction(() => [...document.querySelectorAll('[data-testid="message-text"]')].some((m) => m.textContent === 'Thanks!'), { timeout: 5000 });
    expect(requested.some((u) => /[?&#](token|code)=/.test(u))).toBe(false);
  });

  it('stays signed in on reload; signing out ends the cookie session', async () => {
    await inbox.reload();
    await inbox.waitForSelector('[data-testid="inbox"]', { visible: true });
    expect(await inbox.$eval('[data-testid="me-name"]', (el) => el.textContent)).toBe('Ada Agent');
    await inbox.click('[data-testid="signout"]');
    await inbox.waitForSelector('[data-testid="signin"]', { visible: true });
    await inbox.reload();
    await inbox.waitForSelector('[data-testid="signin"]', { visible: true });
    expect((await ext.browser.cookies()).some((c) => c.name === 'ic_inbox_session')).toBe(false);
  });

  it('a used or stale link says what to do instead of signing in', async () => {
    const { body } = await server.api(agent.token).post('/auth/inbox-code');
    await server.request('POST', '/api/v1/auth/inbox-session', { headers: { 'x-inbox-companion': '1' }, body: { code: body.code } });
    await inbox.goto(`${server.url}${body.path}`);
    await inbox.waitForSelector('[data-testid="signin-error"]', { visible: true });
    expect(await inbox.$eval('[data-testid="signin-error"]', (el) => el.textContent)).toMatch(/expired or was already used: click "Open inbox" in the extension again/);
    expect(new URL(inbox.url()).hash).toBe('');
  });
});
