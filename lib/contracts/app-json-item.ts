import { z } from 'zod';

// A mini-app trigger's json item: the seed's "JSON variable" packaging many items. Apps often send
// it serialized (as it sits in their own database); a string is read as the JSON it holds, or a
// workflow's {{$trigger.order.id}} would silently read nothing inside it.

/** Keys the server refuses in any request body (Fastify's prototype-poisoning check), refused here too. */
const POISON = (key: string, value: unknown) => key === '__proto__'
  || (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype'));

/**
 * A string parsed as JSON (text that is not JSON is refused, naming the item); anything else
 * as sent. The caller checks what comes out (depth, JSON value).
 */
export const jsonItemText = (key: string) => z.unknown().transform((value, ctx) => {
  if (typeof value !== 'string') return value;
  let poisoned = false;
  try {
    const parsed: unknown = JSON.parse(value, (k, v: unknown) => {
      if (POISON(k, v)) poisoned = true;
      return v;
    });
    if (!poisoned) return parsed;
    ctx.addIssue({ code: 'custom', input: value, message: `${key} holds a "__proto__" or "constructor.prototype" key, which is not allowed in any request body; rename it` });
  } catch {
    ctx.addIssue({ code: 'custom', input: value, message: `${key} must be JSON: send an object or a list, or a string holding JSON such as "{\\"id\\": \\"A1\\"}" (this text is not JSON)` });
  }
  return z.NEVER;
});
