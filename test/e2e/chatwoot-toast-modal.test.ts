import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchByKeyboard, openChatwootWithExtension, publishAskShortcut, shadowText, startChatwootWorld, type ChatwootWorld } from './chatwoot-harness';
import { launcherState, until, type ExtensionBrowser } from './launcher-harness';

// The built extension on the Chatwoot dashboard stand-in: Chatwoot's modals are not <dialog>s but
// its Modal component's `div.modal-mask` over the window (Modal.vue,
// https://github.com/chatwoot/chatwoot/blob/develop/app/javascript/dashboard/components/Modal.vue).
// The run's toast hides behind one as it does behind a modal <dialog>.

let world: ChatwootWorld;
let ext: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  world = await startChatwootWorld();
  await publishAskShortcut(world.server, 'Ask order number');
  ({ ext, page } = await openChatwootWithExtension(world));
});

afterAll(async () => {
  await ext?.close();
  await world?.close();
});

const toastShown = () => page.$eval('pierce/.ic-toast', (el) => getComputedStyle(el).visibility === 'visible').catch(() => false);

/** What Chatwoot's Modal.vue renders while shown (v-if): a full-window mask at z-index 9990 holding the modal. */
const openChatwootModal = () => page.evaluate(() => {
  const mask = document.createElement('div');
  mask.className = 'modal-mask skip-context-menu';
  mask.setAttribute('style', 'position:fixed;inset:0;z-index:9990;display:flex;align-items:center;justify-content:center;background:rgba(0,0,0,.4)');
  mask.innerHTML = '<div class="modal-container" style="width:600px;height:780px;background:#fff"><h2>Delete contact</h2></div>';
  document.body.appendChild(mask);
});

describe('the run toast while a Chatwoot modal is open', () => {
  it('hides while the modal is shown and comes back once it is closed', async () => {
    await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 15_000);
    const button = await page.waitForSelector('pierce/button[aria-label="Shortcuts"]');
    await launchByKeyboard(page, button!, 'ask the order', 'Ask the order');
    await until(async () => (await shadowText(page, '.ic-toast')).includes('Waiting'), 'the toast to say the run waits', 15_000);
    expect(await toastShown()).toBe(true);

    await openChatwootModal();
    await until(async () => !(await toastShown()), 'the toast to hide behind Chatwoot\'s modal', 3000);
    await page.evaluate(() => document.querySelector('.modal-mask')?.remove());
    await until(async () => toastShown(), 'the toast to come back', 3000);
  });
});
