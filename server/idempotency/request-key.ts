import { createHash } from 'node:crypto';
import { HttpError } from '../http-error';

/** The longest Idempotency-Key (or webhook-id) stored; a longer one is refused, never cut. */
export const IDEMPOTENCY_KEY_MAX = 200;

/**
 * The delivery's key as sent (trimmed), or an HttpError: a key is compared whole, so cutting a
 * long one would make two different keys collide and the second delivery would be dropped.
 */
export function checkedKey(raw: unknown, header = 'Idempotency-Key'): string | undefined | HttpError {
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const key = raw.trim();
  if (key.length > IDEMPOTENCY_KEY_MAX) {
    return new HttpError(422, 'invalid_idempotency_key', `The ${header} header is ${key.length} characters long; send at most ${IDEMPOTENCY_KEY_MAX}`,
      [{ path: `headers.${header.toLowerCase()}`, message: `At most ${IDEMPOTENCY_KEY_MAX} characters` }]);
  }
  return key;
}

/** SHA-256 of the request body, kept with the key so a reuse with another body is recognised. */
export const requestHash = (body: string | Buffer) => createHash('sha256').update(body).digest('hex');

/** A repeat whose body differs from the first request that used the key. */
export const keyReused = (header = 'Idempotency-Key') => new HttpError(409, 'idempotency_key_reused',
  `This ${header} was already used for another body; send a new key for a new request, or repeat the same body to get the first answer`);

/** Null hashes (rows from before the hash was kept) match anything: there is nothing to compare. */
export const sameRequest = (stored: string | null | undefined, hash: string | undefined) => !stored || !hash || stored === hash;
