import { z } from 'zod';
import { fromJson } from '../store/database';
import { workflowNamed } from './activity';

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

/**
 * A shortcut as the thread names it: `“Ask the order” (workflow “Order number v2”)`, the
 * workflow too when named otherwise, since the run's own lines (failed, trying again: written in
 * the run's round, which reads no labels) name the workflow. The launch line and every line
 * saying a shortcut's run stopped use it, so the agent reads one name from launch to stop.
 */
export const shortcutNamed = (label: string, workflowName: string | null | undefined) =>
  `“${label}”${workflowName && workflowName !== label ? ` (${workflowNamed(workflowName)})` : ''}`;

/** A run as a line saying it stopped names it: by its shortcut's label (shortcutNamed), else by its workflow. */
export const runNamed = (workflowName: string | null | undefined, label: string | null) =>
  (label === null ? workflowNamed(workflowName) : `shortcut ${shortcutNamed(label, workflowName)}`);
