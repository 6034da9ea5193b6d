import { z } from 'zod';
import { fromJson } from '../store/database';

/** Enough of a version's definition to read the label its shortcut had in the agents' menu. */
const ShortcutNamed = z.object({ trigger: z.object({ type: z.literal('shortcut'), name: z.string() }) });

/**
 * The label of the shortcut an agent launched a run from (its version's trigger name, as the menu
 * showed it), or null for a run something else started. Agents know a shortcut by that label, not
 * by its workflow's name, which an admin may have chosen otherwise ("Refund order" launching
 * workflow "Refunds v2"): the notices about the run name the label.
 */
export function shortcutLabel(eventType: string, definition: string | null | undefined): string | null {
  if (eventType !== 'shortcut.launched') return null;
  const parsed = ShortcutNamed.safeParse(fromJson<unknown>(definition, null));
  return parsed.success ? parsed.data.trigger.name : null;
}
