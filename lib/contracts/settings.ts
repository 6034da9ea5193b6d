import { z } from 'zod';

/**
 * The workspace's country for phone numbers written without a country code ("(415) 555-0123"):
 * an ISO 3166-1 alpha-2 code, or null to refuse such numbers (they would otherwise be guessed).
 */
export const DefaultCountry = z.object({
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Use a two-letter country code (ISO 3166-1), e.g. US or ES').nullable(),
});
export type DefaultCountry = z.infer<typeof DefaultCountry>;
