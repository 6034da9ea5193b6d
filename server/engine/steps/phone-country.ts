import { cachedDefaultCountry } from '../../domain/default-country';
import type { StepContext } from './define';

/**
 * The workspace's default country, for a phone number a step writes without its country code: read
 * as the contacts API reads it (lib/workflow/national-phone.ts), so "06 12 34 56 78" in a step is
 * the number the contact panel would have stored. Inside the step's own transaction unless it runs
 * outside one (SQLite has a single connection: a read beside the open transaction would wait on it).
 */
export function stepPhoneCountry(ctx: Pick<StepContext, 'services' | 'outside' | 'db'>): Promise<string | null> {
  const db = ctx.services.db;
  return ctx.outside ? cachedDefaultCountry(db) : ctx.db((uow) => cachedDefaultCountry(db, uow.trx));
}
