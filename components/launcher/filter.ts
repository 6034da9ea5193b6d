import type { ShortcutSummary } from '../../lib/contracts/shortcuts';

/** Shortcuts whose name or description contains every word typed, name matches first. */
export function filterShortcuts(shortcuts: readonly ShortcutSummary[], query: string): ShortcutSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return shortcuts.slice();
  const inName: ShortcutSummary[] = [];
  const inDescription: ShortcutSummary[] = [];
  for (const s of shortcuts) {
    const name = s.name.toLowerCase();
    const text = `${name} ${s.description.toLowerCase()}`;
    if (!words.every((w) => text.includes(w))) continue;
    (words.every((w) => name.includes(w)) ? inName : inDescription).push(s);
  }
  return inName.concat(inDescription);
}
