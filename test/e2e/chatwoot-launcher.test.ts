import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askTwoQuestions, customerWrites, expectAnsweredThenTakenOver, launchByKeyboard, openChatwootWithExtension, publishAskShortcut, publishRefundShortcut, requestsTo, runStatuses, shadowText, startChatwootWorld, type ChatwootWorld } from './chatwoot-harness';
import { FILTER, launcherState, until, type ExtensionBrowser } from './launcher-harness';

// The built extension in Chromium on a page reproducing Chatwoot's dashboard (loopback), the
// companion connected to the Chatwoot API stand-in: a shortcut with a form launched by keyboard
// from the Chatwoot conversation writes its private note and label in Chatwoot exactly once.

let world: ChatwootWorld;
let ext: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  world = await startChatwootWorld();
  await publishRefundShortcut(world.server);
  ({ ext, page } = await openChatwootWithExtension(world));
});

afterAll(async () => {
  await ext?.close();
  await world?.close();
});

const activeElementClass = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.className ?? '');

describe('launching from Chatwoot', () => {
  it('mounts in the reply box button row, enabled', async () => {
    await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 15_000);
    const inRow = await page.$eval('.reply-box .left-wrap', (row) => [...row.children].some((c) => c.shadowRoot?.querySelector('button[aria-label="Shortcuts"]')));
    expect(inRow).toBe(true);
  });

  it('a shortcut with a form, by keyboard: note and label arrive in Chatwoot exactly once, focus returns to the editor', async () => {
    const button = await page.waitForSelector('pierce/button[aria-label="Shortcuts"]');
    await button!.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector(FILTER);
    await page.keyboard.type('refund');
    await page.keyboard.press('Enter');
    await page.waitForSelector('::-p-aria(Order number)');
    await page.keyboard.type('#1042'); // the first field has the focus
    await page.keyboard.press('Tab');
    await page.keyboard.type('Damaged'); // a focused select picks the option typed
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    await page.keyboard.press('Enter'); // submits the form

    await until(async () => (await shadowText(page, '.ic-toast')).includes('Done'), 'the toast to say Done', 20_000);
    const path = `/conversations/${world.conversationId}`;
    const notes = requestsTo(world.cw, 'POST', `${path}/messages`);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toMatchObject({ content: 'Refunded #1042 (Damaged)', private: true });
    const labels = requestsTo(world.cw, 'POST', `${path}/labels`);
    expect(labels).toHaveLength(1);
    expect(labels[0]!.body.labels).toContain('refund');
    expect(world.cw.conversations.get(world.conversationId)!.labels).toContain('refund');
    // Nothing arrives twice (no retry, no second run).
    await new Promise((r) => setTimeout(r, 1500));
    expect(requestsTo(world.cw, 'POST', `${path}/messages`)).toHaveLength(1);
    expect(requestsTo(world.cw, 'POST', `${path}/labels`)).toHaveLength(1);
    // The menu closed and Chatwoot's editor has the focus again.
    expect(await page.$('pierce/[role="listbox"]')).toBeNull();
    expect(await activeElementClass()).toContain('ProseMirror');
  });

  it('follows Chatwoot to a conversation the companion does not know, and says so instead of launching', async () => {
    await page.evaluate((p) => (window as unknown as { chatwootNavigate(p: string): void }).chatwootNavigate(p), `/app/accounts/${world.cw.accountId}/conversations/999`);
    const before = world.cw.requests.length;
    const button = await page.waitForSelector('pierce/button[aria-label="Shortcuts"]');
    await button!.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector(FILTER);
    await page.keyboard.type('refund');
    await page.keyboard.press('Enter');
    await page.waitForSelector('::-p-aria(Order number)');
    await page.keyboard.type('#1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Late');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/.ic-toast [role="alert"]', { timeout: 10_000 });
    expect(await shadowText(page, '.ic-toast')).toMatch(/Not sent: .*999/);
    expect(world.cw.requests.slice(before).filter((r) => r.method === 'POST')).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('says beside the launcher while a shortcut\'s question waits for the customer\'s answer, and stops once it came', async () => {
    const workflowId = await publishAskShortcut(world.server, 'Ask the <b>order</b>');
    const launchAsk = () => launchByKeyboard(page, button!, 'ask the order', 'Ask the order');

    await page.evaluate((p) => (window as unknown as { chatwootNavigate(p: string): void }).chatwootNavigate(p), `/app/accounts/${world.cw.accountId}/conversations/${world.conversationId}`);
    const button = await page.waitForSelector('pierce/button[aria-label="Shortcuts"]');
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.$('pierce/[data-testid="launcher-awaiting"]')).toBeNull();
    await launchAsk();

    // Run updates are pushed, so the chip shows within moments.
    await page.waitForSelector('pierce/[data-testid="launcher-awaiting"]', { timeout: 4_000 });
    // Named by the shortcut's label the agent clicked, not its workflow's name.
    const said = /^Shortcut “Ask the order” is waiting for the customer’s answer \(until .+\): their next message goes to it\.$/;
    expect(await page.$eval('pierce/[data-testid="launcher-awaiting"]', (el) => (el as HTMLElement).title)).toMatch(said);
    expect(await shadowText(page, '[data-testid="launcher-awaiting"]')).toContain('Awaiting answer');
    expect(await page.$('pierce/[data-testid="launcher-awaiting"] b')).toBeNull();
    const asked = requestsTo(world.cw, 'POST', `/conversations/${world.conversationId}/messages`).filter((r) => r.body?.content === 'Your order number?');
    expect(asked).toHaveLength(1);

    // The menu says it in full too.
    await button!.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/[data-testid="launcher-awaiting-note"]');
    expect(await shadowText(page, '[data-testid="launcher-awaiting-note-text"]')).toMatch(said);
    await page.keyboard.press('Escape');

    // Another conversation: no chip there; back again, it shows.
    await page.evaluate((p) => (window as unknown as { chatwootNavigate(p: string): void }).chatwootNavigate(p), `/app/accounts/${world.cw.accountId}/conversations/999`);
    await until(async () => !(await page.$('pierce/[data-testid="launcher-awaiting"]')), 'no chip on another conversation', 4_000);
    await page.evaluate((p) => (window as unknown as { chatwootNavigate(p: string): void }).chatwootNavigate(p), `/app/accounts/${world.cw.accountId}/conversations/${world.conversationId}`);
    await page.waitForSelector('pierce/[data-testid="launcher-awaiting"]', { timeout: 4_000 });

    await customerWrites(world, 99002, 'A-1042');
    await until(async () => !(await page.$('pierce/[data-testid="launcher-awaiting"]')), 'the chip to go once the customer answered', 4_000);

    // Asked again, the agent takes over from the menu: the chip goes and the workflow stops.
    await launchAsk();
    await page.waitForSelector('pierce/[data-testid="launcher-awaiting"]', { timeout: 4_000 });
    await button!.focus();
    await page.keyboard.press('Enter');
    const takeOver = await page.waitForSelector('pierce/[data-testid="launcher-awaiting-note-take-over"]');
    // The button sits high on this page: the panel opens downwards and stays on screen.
    const panel = (await (await page.$('pierce/.ic-panel'))!.boundingBox())!;
    expect(panel.y).toBeGreaterThanOrEqual(0);
    expect(panel.y + panel.height).toBeLessThanOrEqual(820);
    // The launch's toast is not over it (it would take the click).
    const toastBox = await (await page.$('pierce/.ic-toast'))?.boundingBox();
    if (toastBox) expect(toastBox.y >= panel.y + panel.height || toastBox.y + toastBox.height <= panel.y).toBe(true);
    await takeOver!.click();
    await until(async () => !(await page.$('pierce/[data-testid="launcher-awaiting"]')), 'the chip to go once the agent took over', 4_000);
    expect(await page.$('pierce/[data-testid="launcher-awaiting-note"]')).toBeNull();
    // The button went with the notice: the panel closes and the agent writes on in the editor (not <body>).
    await until(async () => !(await page.$('pierce/.ic-panel')), 'the panel to close once the agent took over', 4_000);
    expect(await activeElementClass()).toContain('ProseMirror');
    // The run's toast says who stopped it, about which contact.
    await until(async () => (await shadowText(page, '.ic-toast')).includes('Cancelled: Stopped by'), 'the toast to say why the run was cancelled', 4_000);
    await expectAnsweredThenTakenOver(world.server, workflowId);
  });

  it('with two questions waiting names both, the one asked last first, each with its own Take over', async () => {
    const { size, rating } = await askTwoQuestions(world);
    const both = /^Waiting for the customer’s answer to Shortcut “Ask the size” \(asked last: a typed reply goes here, until .+\) and Shortcut “Ask for a rating” \(until .+\); a tapped or quoted reply goes to its own question\.$/;
    const chipTitle = () => page.$eval('pierce/[data-testid="launcher-awaiting"]', (el) => (el as HTMLElement).title).catch(() => '');
    await until(async () => both.test(await chipTitle()), 'the chip to name both questions', 6_000);
    expect(await shadowText(page, '[data-testid="launcher-awaiting"]')).toContain('Awaiting 2 answers');
    const takeOvers = () => page.$$eval('pierce/[data-testid="launcher-awaiting-note-take-over"]', (bs) => bs.map((b) => ({ name: b.textContent, runId: (b as HTMLElement).dataset.runId })));

    const button = await page.waitForSelector('pierce/button[aria-label="Shortcuts"]');
    await button!.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/[data-testid="launcher-awaiting-note"]');
    expect(await shadowText(page, '[data-testid="launcher-awaiting-note-text"]')).toMatch(both);
    expect(await takeOvers()).toEqual([{ name: 'Take over Shortcut “Ask the size”', runId: size }, { name: 'Take over Shortcut “Ask for a rating”', runId: rating }]);
    // Found by its name, as a screen reader user would: the rating's alone stops.
    await (await page.waitForSelector('::-p-aria(Take over Shortcut “Ask for a rating”)'))!.click();
    await until(async () => (await runStatuses(world.server, rating))[0] === 'cancelled', 'the rating\'s run to stop', 4_000);
    expect(await runStatuses(world.server, size)).toEqual(['waiting']);

    // The one left is shown as one question always was, with one plain Take over.
    const one = /^Shortcut “Ask the size” is waiting for the customer’s answer \(until .+\): their next message goes to it\.$/;
    await until(async () => one.test(await chipTitle()), 'the chip to name the one left', 4_000);
    expect(await shadowText(page, '[data-testid="launcher-awaiting"]')).toContain('Awaiting answer');
    await until(async () => !(await page.$('pierce/.ic-panel')), 'the panel to close once the agent took over', 4_000);
    await button!.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/[data-testid="launcher-awaiting-note"]');
    expect(await takeOvers()).toEqual([{ name: 'Take over', runId: size }]);
    await (await page.waitForSelector('pierce/[data-testid="launcher-awaiting-note-take-over"]'))!.click();
    await until(async () => !(await page.$('pierce/[data-testid="launcher-awaiting"]')), 'the chip to go once both were taken over', 4_000);
    expect(await runStatuses(world.server, size, rating)).toEqual(['cancelled', 'cancelled']);
  });
});
