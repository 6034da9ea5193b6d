import { browser } from 'wxt/browser';

// Shared with the launcher's content script only through this storage key and the registration
// id `inbox-origin-<host>`: the options page adds an origin, the browser injects the script.

export const INBOX_ORIGINS_KEY = 'inboxOrigins';
/** The file the build produces for `entrypoints/inbox.content` (see .output/chrome-mv3/manifest.json). */
export const INBOX_CONTENT_SCRIPT = 'content-scripts/inbox.js';

export const registrationId = (origin: string) => `inbox-origin-${new URL(origin).host}`;

/** `https://app.example.com/inbox/` -> `https://app.example.com`; throws on anything else. */
export function normalizeOrigin(input: string): string {
  const url = new URL(input.trim());
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('Use an http:// or https:// address');
  return url.origin;
}

export async function listInboxOrigins(): Promise<string[]> {
  const stored = await browser.storage.local.get(INBOX_ORIGINS_KEY);
  const value = stored[INBOX_ORIGINS_KEY];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Asks for the host permission, registers the launcher there, and remembers the origin. */
export async function addInboxOrigin(origin: string): Promise<void> {
  const granted = await browser.permissions.request({ origins: [`${origin}/*`] });
  if (!granted) throw new Error(`Permission to run on ${origin} was not granted`);
  const id = registrationId(origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
  await browser.scripting.registerContentScripts([
    { id, matches: [`${origin}/*`], js: [INBOX_CONTENT_SCRIPT], runAt: 'document_idle', persistAcrossSessions: true },
  ]);
  const origins = await listInboxOrigins();
  if (!origins.includes(origin)) await browser.storage.local.set({ [INBOX_ORIGINS_KEY]: [...origins, origin] });
}

export async function removeInboxOrigin(origin: string): Promise<void> {
  const id = registrationId(origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
  await browser.permissions.remove({ origins: [`${origin}/*`] }).catch(() => false);
  const origins = await listInboxOrigins();
  await browser.storage.local.set({ [INBOX_ORIGINS_KEY]: origins.filter((o) => o !== origin) });
}
