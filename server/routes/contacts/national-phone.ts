import type { preValidationAsyncHookHandler } from 'fastify';
import type { z } from 'zod';
import { isInternational, matchablePhone } from '../../../lib/workflow/national-phone';
import { cachedDefaultCountry } from '../../domain/default-country';
import { issuesToDetails, unprocessable } from '../../http-error';
import type { Executor } from '../../store/database';

// As respond.io's default country: with the workspace's default country set, a contact's phone
// typed nationally ("(11) 91234-5678" in BR) in the API, the inbox's contact panel or a workflow
// start naming its contact (Fire Trigger, POST /workflows/:id/start) is read as
// webhooks, the CSV import, question answers and shortcut forms read it (national-phone.ts) and
// stored in E.164. Read before the body's schema: the contract (E164, lib/contracts/common.ts)
// has no workspace to ask, so on its own it takes international numbers only.

/** Any valid number: stands in for the phone when the schema is asked only about the rest of the body. */
const STAND_IN = '+14155550123';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `schema` is the route's body schema: a number that cannot be read is reported with the body's
 * other problems. `under`: the body's object holding the phone (`contact` of a workflow start's
 * `{ contact: { phone } }`, as Fire Trigger and POST /workflows/:id/start name the contact).
 */
export function readNationalPhone(db: Executor, schema: z.ZodType, under?: string): preValidationAsyncHookHandler {
  return async (request) => {
    const body = request.body;
    const holder = under && isObject(body) ? body[under] : body;
    if (!isObject(body) || !isObject(holder) || typeof holder.phone !== 'string') return;
    const raw = holder.phone;
    // International, empty or over-long numbers: the schema's own answer, as without a country.
    if (!raw.trim() || isInternational(raw) || raw.length > 40) return;
    const country = await cachedDefaultCountry(db);
    if (!country) return;
    const read = matchablePhone(raw, country);
    if ('phone' in read) {
      holder.phone = read.phone;
      return;
    }
    // read.error names the country it assumed ("…not a valid BR number either (the workspace's default country)").
    const standIn = { ...holder, phone: STAND_IN };
    const rest = schema.safeParse(under ? { ...body, [under]: standIn } : standIn);
    const details = [{ path: under ? `body.${under}.phone` : 'body.phone', message: read.error }, ...(rest.success ? [] : issuesToDetails(rest.error.issues, 'body'))];
    throw unprocessable(`The body is invalid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  };
}
