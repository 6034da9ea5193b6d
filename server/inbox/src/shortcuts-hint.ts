// Shortcuts come from the browser extension: its content script mounts the launcher into this
// page's composer toolbar ([data-composer-toolbar], as an <inbox-companion-launcher> element; see
// lib/extension/adapters/builtin.ts and entrypoints/inbox.content/mount.tsx), or floats it in a
// [data-inbox-companion] box. A page opened from the URL the server prints, in a browser without
// the extension, shows no launcher and nothing said why: this hint says how to get it. It only
// reads the page; the hint lives in the list pane, never where the launcher mounts.
import { $ } from './dom.js';

const LAUNCHER = 'inbox-companion-launcher, [data-inbox-companion]';
const DISMISSED_KEY = 'inboxCompanion.shortcutsHint';
/** The extension's script runs once the page is idle and mounts within a moment: wait before saying it is missing. */
export const SHORTCUTS_HINT_DELAY_MS = 2500;

const launcherPresent = () => document.querySelector(LAUNCHER) !== null;

/**
 * Shows the hint when no launcher has mounted `delayMs` after sign-in, and takes it down as soon
 * as one mounts (the extension installed or enabled meanwhile). Dismissing it is remembered in
 * this browser. Returns a stop function (sign out).
 */
export function watchShortcutsHint(delayMs = SHORTCUTS_HINT_DELAY_MS): () => void {
  const hint = $('[data-testid="shortcuts-hint"]');
  let observer: MutationObserver | null = null;
  const stop = () => {
    clearTimeout(timer);
    observer?.disconnect();
    observer = null;
    hint.hidden = true;
  };
  const dismissed = () => {
    try { return localStorage.getItem(DISMISSED_KEY) === 'dismissed'; } catch { return false; }
  };
  const timer = setTimeout(() => {
    if (dismissed() || launcherPresent()) return;
    $('[data-testid="shortcuts-hint-server"]', hint).textContent = location.origin;
    hint.hidden = false;
    // Only while the hint is up: one look per batch of changes, for the launcher arriving late.
    observer = new MutationObserver(() => { if (launcherPresent()) stop(); });
    observer.observe(document.body, { childList: true, subtree: true });
  }, delayMs);
  $('[data-testid="shortcuts-hint-dismiss"]', hint).onclick = () => {
    try { localStorage.setItem(DISMISSED_KEY, 'dismissed'); } catch { /* private mode: dismissed for this page only */ }
    stop();
  };
  return stop;
}
