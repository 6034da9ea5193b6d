import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './support/browser';
import { askTwoQuestions, customerWrites, expectAnsweredThenTakenOver, publishAskShortcut, publishRefundShortcut, requestsTo, runStatuses, startChatwootWorld, type ChatwootWorld } from './chatwoot-harness';
import { until } from './launcher-harness';

// The Dashboard App page (no extension) in Chromium, embedded by a loopback page that plays
// Chatwoot's Frame.vue: sign in once with a token, then the same menu and form launch on the
// Chatwoot conversation Chatwoot names in its appContext message.

let world: ChatwootWorld;
let browser: Browser;
let page: Page;
/** Who is signed in to Chatwoot (Frame.vue's currentAgent: the current user's id, name, email); the companion agent by default. */
let currentAgent: Record<string, unknown>;

beforeAll(async () => {
  world = await startChatwootWorld();
  await publishRefundShortcut(world.server);
  const me = await world.server.api(world.agent.token).get('/me');
  currentAgent = { id: 7, name: 'Alex Agent', email: me.body.user.email };
  world.dashboard.dashboardApp = {
    url: `${world.server.url}/chatwoot/dashboard-app`,
    // currentChat (the REST conversation: id = display id, account_id, meta.sender), the contact, the agent.
    context: (accountId, conversationId) => ({
      conversation: { id: conversationId, account_id: accountId, status: 'open', meta: { sender: { id: 1, name: 'Maria Garcia' } } },
      contact: { id: 1, name: 'Maria Garcia' },
      currentAgent,
    }),
  };
  browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true, pipe: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1360, height: 900 });
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

const appFrame = () => until(async () => page.frames().find((f) => f.url().includes('/chatwoot/dashboard-app')), 'the Dashboard App frame');
const conversationUrl = () => `${world.dashboard.url}/app/accounts/${world.cw.accountId}/conversations/${world.conversationId}`;

async function typeInForm(frame: Frame, order: string, reason: string) {
  await frame.waitForSelector('::-p-aria(Order number)');
  await page.keyboard.type(order);
  await page.keyboard.press('Tab');
  await page.keyboard.type(reason);
  await page.keyboard.down('Shift');
  await page.keyboard.press('Tab');
  await page.keyboard.up('Shift');
  await page.keyboard.press('Enter');
}

describe('Chatwoot Dashboard App', () => {
  it('signs in once, then launches a shortcut with a form on the conversation Chatwoot names', async () => {
    await page.goto(conversationUrl());
    let frame = await appFrame();
    const token = await frame.waitForSelector('::-p-aria(Token)', { timeout: 10_000 });
    await token!.type(world.agent.token);
    await page.keyboard.press('Enter');
    await frame.waitForFunction(() => document.querySelector('[data-testid="da-conversation"]')?.textContent?.includes('#'), { timeout: 10_000 });
    expect(await frame.$eval('[data-testid="da-conversation"]', (e) => e.textContent)).toBe(`Chatwoot conversation #${world.conversationId} · Maria Garcia`);

    // The menu opens by itself once Chatwoot said which conversation is open; keyboard from here.
    const filter = await frame.waitForSelector('::-p-aria(Filter shortcuts)', { timeout: 10_000 });
    await filter!.focus();
    await page.keyboard.type('refund');
    await page.keyboard.press('Enter');
    await typeInForm(frame, '#2001', 'Late');

    await frame.waitForFunction(() => document.querySelector('.ic-toast')?.textContent?.includes('Done'), { timeout: 20_000 });
    // As the extension's toast: who the run is about. The editor is Chatwoot's (another origin), so
    // the focus goes back to the launcher's button, not to the page's body.
    expect(await frame.$eval('.ic-toast-title', (e) => e.textContent)).toBe('Refund order · Maria Garcia');
    expect(await frame.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Shortcuts');
    // The launcher is at the top of the app: the toast goes below it, not over it.
    const toast = (await (await frame.$('.ic-toast'))!.boundingBox())!;
    const launcherButton = (await (await frame.$('::-p-aria(Shortcuts)'))!.boundingBox())!;
    expect(toast.y).toBeGreaterThanOrEqual(launcherButton.y + launcherButton.height);
    const path = `/conversations/${world.conversationId}`;
    await new Promise((r) => setTimeout(r, 1000));
    const notes = requestsTo(world.cw, 'POST', `${path}/messages`).filter((r) => r.body?.content === 'Refunded #2001 (Late)');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body.private).toBe(true);
    // "Done" goes by itself (RunToast's DISMISS_MS, 6 s), as in the extension.
    await frame.waitForFunction(() => !document.querySelector('.ic-toast'), { timeout: 10_000 });

    // Reloaded (another conversation opened in Chatwoot): still signed in.
    await page.goto(conversationUrl());
    frame = await appFrame();
    await frame.waitForSelector('::-p-aria(Filter shortcuts)', { timeout: 10_000 });
    expect(await frame.$('::-p-aria(Token)')).toBeNull();
  });

  it('says while a shortcut\'s question waits for the customer\'s answer, and stops once it came', async () => {
    const workflowId = await publishAskShortcut(world.server, 'Ask the order');

    await page.goto(conversationUrl());
    const frame = await appFrame();
    const filter = await frame.waitForSelector('::-p-aria(Filter shortcuts)', { timeout: 10_000 });
    expect(await frame.$('[data-testid="da-awaiting"]')).toBeNull();
    await filter!.focus();
    await page.keyboard.type('ask the order');
    await page.keyboard.press('Enter');
    await frame.waitForSelector('[data-testid="da-awaiting"]', { timeout: 15_000 });
    expect(await frame.$eval('[data-testid="da-awaiting-text"]', (e) => e.textContent))
      .toMatch(/^Shortcut “Ask the order” is waiting for the customer’s answer \(until .+\): their next message goes to it\.$/);
    const asked = requestsTo(world.cw, 'POST', `/conversations/${world.conversationId}/messages`).filter((r) => r.body?.content === 'Your order number?');
    expect(asked).toHaveLength(1);

    // The customer answers in Chatwoot: its message_created webhook reaches the companion.
    await customerWrites(world, 99001, 'A-1042');
    await frame.waitForFunction(() => !document.querySelector('[data-testid="da-awaiting"]'), { timeout: 15_000 });

    // Asked again, the agent takes over: the notice goes with the take-over's answer (no poll) and the workflow stops.
    await frame.click('::-p-aria(Shortcuts)');
    const again = await frame.waitForSelector('::-p-aria(Filter shortcuts)', { timeout: 10_000 });
    await again!.focus();
    await page.keyboard.type('ask the order');
    await page.keyboard.press('Enter');
    await frame.waitForSelector('[data-testid="da-awaiting"]', { timeout: 15_000 });
    await (await frame.$('[data-testid="da-awaiting-take-over"]'))!.focus();
    await page.keyboard.press('Enter');
    await frame.waitForFunction(() => !document.querySelector('[data-testid="da-awaiting"]'), { timeout: 15_000 });
    await expectAnsweredThenTakenOver(world.server, workflowId);
    // The button that had the focus is gone: it lands on the launcher's button (Chatwoot's editor
    // is not this page's to focus), and the page says where to reply.
    expect(await frame.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Shortcuts');
    expect(await frame.$eval('[data-testid="da-announcement"]', (e) => e.textContent))
      .toBe('Shortcut “Ask the order” stopped: the customer’s next message comes to you. Reply from Chatwoot’s Messages tab.');
  });

  it('acts only for the agent signed in to Chatwoot (by email, any case); without an email Chatwoot names no one to check', async () => {
    const email = currentAgent.email as string;
    const launcherState = (frame: Frame) => frame.$eval('.ic-launcher > .ic-button', (b) => ({ disabled: b.getAttribute('aria-disabled'), title: b.getAttribute('title') }));
    try {
      // A shared browser: Sam signed in to Chatwoot, the app still holds Alex's token.
      currentAgent = { id: 8, name: 'Sam Supervisor', email: 'sam@example.com' };
      await page.goto(conversationUrl());
      let frame = await appFrame();
      const said = 'Connected as Alex Agent, signed in here as Sam Supervisor — sign out of this app and sign in with your own companion token.';
      const reason = await frame.waitForSelector('[data-testid="launcher-reason"]', { timeout: 10_000 });
      expect(await reason!.evaluate((e) => e.textContent)).toBe(said);
      expect(await frame.$('::-p-aria(Filter shortcuts)')).toBeNull();
      expect(await launcherState(frame)).toEqual({ disabled: 'true', title: said });

      // Alex again, the email as Chatwoot may case it: the menu opens by itself as before.
      currentAgent = { id: 7, name: 'Alex Agent', email: email.toUpperCase() };
      await page.goto(conversationUrl());
      frame = await appFrame();
      await frame.waitForSelector('::-p-aria(Filter shortcuts)', { timeout: 10_000 });
      expect(await frame.$('[data-testid="launcher-reason"]')).toBeNull();

      // A Chatwoot that sends no email: nothing to compare, nothing refused.
      currentAgent = { id: 8, name: 'Sam Supervisor' };
      await page.goto(conversationUrl());
      frame = await appFrame();
      await frame.waitForSelector('::-p-aria(Filter shortcuts)', { timeout: 10_000 });
      expect((await launcherState(frame)).disabled).toBeNull();
    } finally {
      currentAgent = { id: 7, name: 'Alex Agent', email };
    }
  });

  it('refuses to be framed by a page that is not a connected Chatwoot', async () => {
    const res = await world.server.request('GET', '/chatwoot/dashboard-app');
    expect(res.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${world.dashboard.url}`);
  });

  it('with two questions waiting names both, the one asked last first, each with its own Take over', async () => {
    const { size, rating } = await askTwoQuestions(world);
    await page.goto(conversationUrl());
    const frame = await appFrame();
    await frame.waitForSelector('[data-testid="da-awaiting"]', { timeout: 15_000 });
    expect(await frame.$eval('[data-testid="da-awaiting-text"]', (e) => e.textContent)).toMatch(
      /^Waiting for the customer’s answer to Shortcut “Ask the size” \(asked last: a typed reply goes here, until .+\) and Shortcut “Ask for a rating” \(until .+\); a tapped or quoted reply goes to its own question\.$/);
    const takeOvers = () => frame.$$eval('[data-testid="da-awaiting-take-over"]', (bs) => bs.map((b) => ({ name: b.textContent, runId: (b as HTMLElement).dataset.runId })));
    expect(await takeOvers()).toEqual([{ name: 'Take over Shortcut “Ask the size”', runId: size }, { name: 'Take over Shortcut “Ask for a rating”', runId: rating }]);

    // By keyboard, the one named: only its run stops; the other stays, as one question always was.
    await (await frame.waitForSelector('::-p-aria(Take over Shortcut “Ask for a rating”)'))!.focus();
    await page.keyboard.press('Enter');
    await frame.waitForFunction(() => document.querySelectorAll('[data-testid="da-awaiting-take-over"]').length === 1, { timeout: 15_000 });
    expect(await runStatuses(world.server, rating, size)).toEqual(['cancelled', 'waiting']);
    expect(await frame.$eval('[data-testid="da-announcement"]', (e) => e.textContent))
      .toBe('Shortcut “Ask for a rating” stopped: the customer’s next message comes to you. Reply from Chatwoot’s Messages tab.');
    expect(await frame.$eval('[data-testid="da-awaiting-text"]', (e) => e.textContent))
      .toMatch(/^Shortcut “Ask the size” is waiting for the customer’s answer \(until .+\): their next message goes to it\.$/);
    expect(await takeOvers()).toEqual([{ name: 'Take over', runId: size }]);
    // Still so after the next look (the app polls): the server lists the one left.
    await new Promise((r) => setTimeout(r, 5_500));
    expect(await takeOvers()).toEqual([{ name: 'Take over', runId: size }]);

    await frame.click('[data-testid="da-awaiting-take-over"]');
    await frame.waitForFunction(() => !document.querySelector('[data-testid="da-awaiting"]'), { timeout: 15_000 });
    expect(await runStatuses(world.server, size)).toEqual(['cancelled']);
  });
});
