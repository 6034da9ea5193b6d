import { z } from 'zod';

export const Id = z.string().min(1).max(64);
export const Timestamp = z.string();
/** What every phone error says: the contacts API and webhook identifiers alike. */
export const PHONE_FORMAT_HINT = 'Use international format, e.g. +14155550123';
/** E.164: "+" then 7 to 15 digits, no leading zero. */
export const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, PHONE_FORMAT_HINT);
export const Email = z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address')).pipe(z.string().max(254));
export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional(),
});
