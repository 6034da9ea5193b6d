import { z } from 'zod';

/** The longest Idempotency-Key taken; server/idempotency/request-key.ts holds webhooks to the same. */
const KEY_MAX = 200;

/**
 * The `Idempotency-Key` header of the API's keyed routes (replies, Resend, Fire Trigger, start):
 * one schema, so each route checks it alike and /docs lists it on each. A longer key is refused,
 * never cut: cut keys that differ only past the limit would collide, and the second request
 * would be refused as a reuse or answered the first one's result.
 */
export const IdempotencyKeyHeaders = z.object({
  'idempotency-key': z.string().trim()
    .min(1, 'An empty Idempotency-Key is no key: leave the header out, or send one of 1 to 200 characters')
    .max(KEY_MAX, { error: (issue) => `An Idempotency-Key has at most ${KEY_MAX} characters (this one has ${typeof issue.input === 'string' ? issue.input.length : 'more'}); it is never cut` })
    .optional()
    .describe('Makes a retried request act once: the same key and body answer the first result again; the same key with another body is 409 `idempotency_key_reused`. Up to 200 characters (422 above); each caller\'s keys are its own'),
});
