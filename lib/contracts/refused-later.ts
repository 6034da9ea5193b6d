import { z } from 'zod';
import { IsoDateTime } from './workflow-primitives';

/**
 * What became of a Send message step's fallback template after WhatsApp refused the step's
 * message later (a `failed` status webhook with 131047): sent; waiting to be tried again (Meta
 * throttling or down); failed; unknown (the send's answer was lost); not sent (the number was
 * disconnected, the customer moved to another channel).
 */
export const LateFallbackOutcome = z.object({
  template: z.string(),
  status: z.enum(['sent', 'waiting', 'failed', 'unknown', 'not_sent']),
  messageId: z.string().optional(),
  externalId: z.string().nullable().optional(),
  error: z.string().optional(),
  /** The sends made so far, of `of` at most. */
  tries: z.number().int().min(0),
  of: z.number().int().min(1),
  /** When it is tried again (status waiting). */
  nextTryAt: IsoDateTime.optional(),
});
export type LateFallbackOutcome = z.infer<typeof LateFallbackOutcome>;

/**
 * Added to the step's output (beside its `delivery`, which then says failed with WhatsApp's
 * reason) once the run is not running: the run history reads the step's real outcome there.
 */
export const RefusedLater = z.object({
  /** WhatsApp's reason, as the message's delivery error says it. */
  error: z.string(),
  fallback: LateFallbackOutcome,
});
export type RefusedLater = z.infer<typeof RefusedLater>;

/** A step output that carries it (any other output fails to parse: the history shows nothing more). */
export const OutputRefusedLater = z.object({ refusedLater: RefusedLater });
