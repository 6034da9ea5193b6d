import { browser } from 'wxt/browser';
import type { Push } from './protocol';

/** The `open-shortcuts` keyboard command (wxt.config.ts) -> a push to the active tab's content script. */
export function forwardCommands() {
  browser.commands.onCommand.addListener((command) => {
    if (command !== 'open-shortcuts') return;
    void openLauncherInActiveTab();
  });
}

export async function openLauncherInActiveTab() {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id == null) return;
  const push: Push = { type: 'open-launcher' };
  // No content script in that tab (not an inbox): nothing to open.
  await browser.tabs.sendMessage(tab.id, { ic: 'push', push }).catch(() => undefined);
}
