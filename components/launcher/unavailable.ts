import type { ShortcutList, ShortcutSummary } from '../../lib/contracts/shortcuts';

/** What the server said when a launch found the shortcut gone, and the list version known then. */
export interface Refusal { text: string; version: string | null }

/**
 * Why an open form's shortcut cannot be launched any more, or null. Gone from the live list: an
 * admin took it away (the list does not say how). The server's refusal, more precise, holds until
 * a newer list shows the shortcut again (republished); a cached list older than the refusal
 * still showing it does not count.
 */
export function unavailableText(shortcut: ShortcutSummary, list: Pick<ShortcutList, 'shortcuts' | 'version'> | null, refusal?: Refusal): string | null {
  const live = list?.shortcuts.find((s) => s.id === shortcut.id);
  const listed = list ? live !== undefined : true;
  if (refusal && (!listed || (list?.version ?? null) === refusal.version)) return refusal.text;
  // Still listed, but marked as one that cannot run now (its workflow assigns to someone deactivated).
  if (live?.unavailable) return asSentence(live.unavailable);
  return listed ? null : `“${shortcut.name}” is no longer available (an admin unpublished or removed it).`;
}

/** The server's message as a sentence. */
export const asSentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
