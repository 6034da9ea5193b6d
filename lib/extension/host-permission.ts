import { browser } from 'wxt/browser';

/** Hosts the manifest grants already (any port): the built-in inbox on this machine. */
const BUILT_IN_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * Asks for access to a server other than the built-in hosts. Must run straight from a user
 * gesture (a click), before any other await, or Chrome refuses to show the prompt.
 */
export async function requestServerAccess(serverUrl: string): Promise<boolean> {
  let url: URL;
  try { url = new URL(serverUrl.trim()); } catch { return true; } // the background reports the bad URL
  if (BUILT_IN_HOSTS.has(url.hostname)) return true;
  try {
    return await browser.permissions.request({ origins: [`${url.origin}/*`] });
  } catch {
    return false;
  }
}
