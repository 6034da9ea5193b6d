import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { extensionForChatwoot, startChatwootWorld, type ChatwootWorld } from './chatwoot-harness';
import {
  connectExtension, launchWithExtension, launcher, launcherState, openConversation, openLauncher, until, type ExtensionBrowser,
} from './launcher-harness';

// One identity per seat, in Chromium with the built extension: the launcher acts as the user
// the extension is connected as, so it will not act in an inbox signed in as someone else (a
// run recorded as launched by Sam, past the switch a supervisor turned off for Ava alone).

const shadowText = (page: Page, selector: string) => page.$eval(`pierce/${selector}`, (el) => el.textContent ?? '').catch(() => '');

describe('the built-in inbox signed in as Ava, the extension connected as Sam', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let page: Page;
  let ava: { id: string; token: string };
  let supervisorToken: string;
  let conversationId: string;
  let vipId: string;
  const said = 'Connected as Sam Supervisor, signed in here as Ava Agent — reconnect the extension as you';

  beforeAll(async () => {
    server = await startTestServer();
    const a = await server.createUser('agent', { name: 'Ava Agent' });
    ava = { id: a.user.id, token: a.token };
    supervisorToken = (await server.createUser('supervisor', { name: 'Sam Supervisor' })).token;
    const admin = server.api(server.adminToken);
    const contact = await admin.post('/contacts', { firstName: 'Maria', lastName: 'Garcia' });
    conversationId = (await admin.post('/conversations', { contactId: contact.body.id })).body.id;
    expect((await admin.post(`/conversations/${conversationId}/assign`, { userId: ava.id })).status).toBe(200);
    const vip = await admin.post('/workflows', {
      name: 'Mark VIP', status: 'published',
      trigger: { type: 'shortcut', icon: '⭐', name: 'Mark VIP', description: 'Tag the contact as VIP' },
      steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } }],
    });
    expect(vip.status, JSON.stringify(vip.body)).toBe(201);
    vipId = vip.body.id;

    ext = await launchWithExtension();
    await connectExtension(ext, server.url, supervisorToken);
    page = await ext.browser.newPage();
    await page.setViewport({ width: 1360, height: 820 });
    await openConversation(page, server.url, ava.token, conversationId);
  });

  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  const runs = async () => (await server.api(server.adminToken).get(`/runs?workflowId=${vipId}`)).body.runs as { id: string }[];

  it('says who is who instead of launching as Sam, even with Ava\'s shortcuts turned off by a supervisor', async () => {
    expect((await server.api(supervisorToken).patch(`/users/${ava.id}/restrictions`, { shortcutsEnabled: false })).status).toBe(200);
    const state = await until(async () => {
      const s = await launcherState(page);
      return s.title.startsWith(said) && s;
    }, 'the launcher to say who is who', 10_000);
    expect(state.disabled).toBe(true);

    await (await launcher(page)).click();
    await page.waitForSelector('pierce/[data-testid="launcher-reason"]');
    expect(await shadowText(page, '[data-testid="launcher-reason"]')).toBe(`${said} from the Inbox Companion icon.`);
    expect(await page.$('pierce/[role="listbox"]')).toBeNull();
    // The keyboard command (as the background forwards it) says the same and opens no menu either.
    await page.keyboard.press('Escape');
    await until(async () => !(await page.$('pierce/[data-testid="launcher-reason"]')), 'the reason to close');
    await page.bringToFront();
    const worker = await ext.background();
    await worker.evaluate(async () => {
      const c = (globalThis as any).chrome;
      const [tab] = await c.tabs.query({ active: true, currentWindow: true });
      await c.tabs.sendMessage(tab.id, { ic: 'push', push: { type: 'open-launcher' } });
    });
    await page.waitForSelector('pierce/[data-testid="launcher-reason"]', { timeout: 5000 });
    expect(await page.$('pierce/[role="listbox"]')).toBeNull();
    expect(await runs()).toEqual([]);
  });

  it('once the extension is reconnected as Ava, her own switch applies, and her launch is recorded as hers', async () => {
    await connectExtension(ext, server.url, ava.token);
    await page.bringToFront();
    await until(async () => (await launcherState(page)).title === 'A supervisor has turned shortcuts off for you', 'Ava\'s own switch to apply', 10_000);

    expect((await server.api(supervisorToken).patch(`/users/${ava.id}/restrictions`, { shortcutsEnabled: true })).status).toBe(200);
    await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 10_000);
    await openLauncher(page);
    await page.keyboard.type('vip');
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/.ic-toast');
    const [run] = await until(async () => {
      const list = await runs();
      return list.length > 0 && list;
    }, 'the run');
    const detail = await server.api(server.adminToken).get(`/runs/${run!.id}`);
    expect(detail.body.variables.trigger.launchedBy).toBe(ava.id);
  });
});

describe('Chatwoot signed in as another agent than the extension\'s user (matched by email)', () => {
  let world: ChatwootWorld;
  let ext: ExtensionBrowser;
  let page: Page;
  let agentEmail: string;

  beforeAll(async () => {
    world = await startChatwootWorld();
    ext = await extensionForChatwoot(world);
    const me = await world.server.api(world.agent.token).get('/me');
    agentEmail = me.body.user.email;
    await world.server.api(world.server.adminToken).post('/workflows', {
      name: 'Mark VIP', status: 'published',
      trigger: { type: 'shortcut', icon: '⭐', name: 'Mark VIP', description: 'Tag the contact as VIP' },
      steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } }],
    });
    page = await ext.browser.newPage();
    await page.setViewport({ width: 1360, height: 820 });
  });

  afterAll(async () => {
    await ext?.close();
    await world?.close();
  });

  const conversationUrl = () => `${world.dashboard.url}/app/accounts/${world.cw.accountId}/conversations/${world.conversationId}`;

  it('says so with the Chatwoot agent\'s email, and works once Chatwoot is signed in as the same person', async () => {
    world.dashboard.signedInAs = 'sam@example.com';
    await page.goto(conversationUrl());
    const state = await until(async () => {
      const s = await launcherState(page);
      return s.title.startsWith('Connected as Alex Agent, signed in here as sam@example.com — reconnect the extension as you') && s;
    }, 'the launcher to say who is who', 15_000);
    expect(state.disabled).toBe(true);

    world.dashboard.signedInAs = agentEmail.toUpperCase();
    await page.goto(conversationUrl());
    await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 15_000);
  });
});
