import { z } from 'zod';
import { Timestamp } from './common';

/** Messenger lets a person edit a message five times; the texts it had before are kept up to this many. */
export const EDITS_KEPT = 5;

/**
 * A customer's message they edited afterwards (Messenger `message_edits`, WhatsApp `edit`): the
 * message's `text` is the latest; this says when it was last edited, how often, and what it said
 * before (oldest first, each with when it was replaced), as Chatwoot and respond.io mark an edited
 * message. An edit changes only the words: a workflow it started, or a question it answered, is
 * not run again.
 */
export const MessageEdits = z.object({
  at: Timestamp,
  count: z.number().int().min(1),
  previous: z.array(z.object({ text: z.string(), replacedAt: Timestamp })).max(EDITS_KEPT),
});
export type MessageEdits = z.infer<typeof MessageEdits>;
