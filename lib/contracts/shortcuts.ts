import { z } from 'zod';
import { FormDefinition } from './forms';
import { ShortcutTrigger } from './triggers';
import { Id } from './workflow-primitives';

export const ShortcutSummary = z.object({
  id: Id,
  name: ShortcutTrigger.shape.name,
  description: z.string(),
  icon: z.string(),
  form: FormDefinition,
  /**
   * Why it cannot be launched now, in the launcher's words (its workflow assigns to someone
   * deactivated: every launch would fail at that step); absent while it can. The menu shows it
   * greyed with this reason, and a launch is refused (409 `shortcut_unavailable`) before any step runs.
   */
  unavailable: z.string().optional(),
});
export type ShortcutSummary = z.infer<typeof ShortcutSummary>;

export const ShortcutList = z.object({
  /** False for an agent whose shortcuts are turned off (workspace-wide or personally). */
  allowed: z.boolean(),
  reason: z.string().optional(),
  /** Changes whenever a shortcut or a restriction changes: the extension's cache key. */
  version: z.string(),
  shortcuts: z.array(ShortcutSummary),
  /**
   * The workspace's default country (ISO 3166-1 alpha-2, PUT /settings/default-country): a form's
   * phone field reads national numbers with it, as the server's launch check does. Absent from
   * servers older than it.
   */
  defaultCountry: z.string().nullable().optional(),
});
export type ShortcutList = z.infer<typeof ShortcutList>;

/**
 * Error code of the 404 a launch gets when the id is not a published shortcut (any more):
 * unpublished, deleted, or made to start another way; and of the 409 when it is published but
 * cannot run now (`unavailable` above). Trying again cannot help; the message names the shortcut
 * as the menu showed it when the server knows it.
 */
export const SHORTCUT_UNAVAILABLE = 'shortcut_unavailable';

/** `values` are checked on the server against formSchema(shortcut.form). */
export const LaunchBody = z.object({
  conversationId: Id,
  values: z.record(z.string(), z.unknown()).default({}),
});
export type LaunchBody = z.infer<typeof LaunchBody>;

export const LaunchResult = z.object({
  runId: Id,
  /**
   * Who the run is about, as the inbox names them (name, else phone, else email; absent when the
   * contact has none): the launcher's toast says it, and stays with the run when the agent moves on.
   */
  contactName: z.string().optional(),
});
export type LaunchResult = z.infer<typeof LaunchResult>;
