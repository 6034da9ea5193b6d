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
});
export type ShortcutSummary = z.infer<typeof ShortcutSummary>;

export const ShortcutList = z.object({
  /** False for an agent whose shortcuts are turned off (workspace-wide or personally). */
  allowed: z.boolean(),
  reason: z.string().optional(),
  /** Changes whenever a shortcut or a restriction changes: the extension's cache key. */
  version: z.string(),
  shortcuts: z.array(ShortcutSummary),
});
export type ShortcutList = z.infer<typeof ShortcutList>;

/** `values` are checked on the server against formSchema(shortcut.form). */
export const LaunchBody = z.object({
  conversationId: Id,
  values: z.record(z.string(), z.unknown()).default({}),
});
export type LaunchBody = z.infer<typeof LaunchBody>;

export const LaunchResult = z.object({ runId: Id });
export type LaunchResult = z.infer<typeof LaunchResult>;
