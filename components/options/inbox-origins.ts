import { browser } from 'wxt/browser';
import { INBOX_ORIGINS_KEY, readInboxOrigins, type InboxOrigin } from '../../lib/extension/adapters/origins';
import type { AdapterKind } from '../../lib/extension/adapters/registry';

// Shared with the launcher's content script only through the storage key (each origin with the
// adapter the admin picked) and the registration id `inbox-origin-<host>`: the options page adds
// an origin, the browser injects the script, the script reads which adapter to use.

export { INBOX_ORIGINS_KEY, type InboxOrigin };
/** The file the build produces for `entrypoints/inbox.content` (see .output/chrome-mv3/manifest.json). */
export const INBOX_CONTENT_SCRIPT = 'content-scripts/inbox.js';

export const registrationId = (origin: string) => `inbox-origin-${new URL(origin).host}`;

/** `https://app.example.com/inbox/` -> `https://app.example.com`; throws on anything else. */
export function normalizeOrigin(input: string): string {
  const url = new URL(input.trim());
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('Use an http:// or https:// address');
  return url.origin;
}

export async function listInboxOrigins(): Promise<InboxOrigin[]> {
  const stored = await browser.storage.local.get(INBOX_ORIGINS_KEY);
  return readInboxOrigins(stored[INBOX_ORIGINS_KEY]);
}

/**
 * Asks for the host permission, registers the launcher there, and remembers the origin with its
 * adapter (adding an origin again changes its adapter). Call straight from the click: Chrome
 * shows the permission prompt only during a user gesture.
 */
export async function addInboxOrigin({ origin, adapter }: InboxOrigin): Promise<void> {
  const granted = await browser.permissions.request({ origins: [`${origin}/*`] });
  if (!granted) throw new Error(`Permission to run on ${origin} was not granted`);
  const id = registrationId(origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
  await browser.scripting.registerContentScripts([
    { id, matches: [`${origin}/*`], js: [INBOX_CONTENT_SCRIPT], runAt: 'document_idle', persistAcrossSessions: true },
  ]);
  const origins = (await listInboxOrigins()).filter((o) => o.origin !== origin);
  await browser.storage.local.set({ [INBOX_ORIGINS_KEY]: [...origins, { origin, adapter }] });
}

export async function removeInboxOrigin(origin: string): Promise<void> {
  const id = registrationId(origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
  await browser.permissions.remove({ origins: [`${origin}/*`] }).catch(() => false);
  const origins = await listInboxOrigins();
  await browser.storage.local.set({ [INBOX_ORIGINS_KEY]: origins.filter((o) => o.origin !== origin) });
}

export type { AdapterKind };
