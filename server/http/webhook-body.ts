import type { IncomingHttpHeaders } from 'node:http';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../lib/contracts/json-depth';
import { parseJsonExact } from '../../lib/workflow/exact-json';
import { replaceNulDeep } from '../../lib/workflow/nul-text';
import { HttpError } from '../http-error';
import { declaredText } from './body-charset';
import { compressedBodyRefusal } from './content-encoding';

/**
 * A webhook delivery as read: the body as sent, which signatures are computed over, and its JSON.
 * `raw` is the text of a UTF-8 body (the same bytes), the bytes themselves of a body in another
 * charset (its decoded text, re-encoded, would not be the bytes that were signed).
 */
export interface WebhookBody { raw: string | Buffer; json: unknown }

type Done = (err: Error | null, value?: WebhookBody) => void;

/**
 * A Fastify content-type parser for webhook routes: the body as sent kept beside the parsed JSON.
 * `boundedDepth`: bodies nesting deeper than MAX_JSON_DEPTH are refused (Meta's and Chatwoot's
 * payloads nest a few levels; deeper ones overflowed the stack where their handlers stringify or
 * validate parts of them, a 500). /hooks takes any depth: a third party's payload, which it
 * answers with a 202 or a 422 at every depth (hardening/deep-bodies.test.ts).
 * A string body is UTF-8 (no charset, or utf-8); a Buffer is one registered for JSON_WITH_CHARSET,
 * decoded by the charset its Content-Type names.
 * `exactIntegers`: whole numbers past 2^53 keep their digits, as text (exact-json.ts). /hooks
 * takes any third party's ids (Shopify's are such numbers); Meta's ids are strings and
 * Chatwoot's small, and their contracts expect numbers where numbers are, so they parse as before.
 */
export const webhookBodyParser = ({ boundedDepth, exactIntegers = false }: { boundedDepth: boolean; exactIntegers?: boolean }) =>
  (req: { headers: IncomingHttpHeaders }, body: string | Buffer, done: Done): void => {
    // One header read (absent on nearly every delivery): a gzip body says so rather than "not valid JSON".
    if (req.headers['content-encoding'] !== undefined) {
      const refusal = compressedBodyRefusal(req.headers);
      if (refusal) return done(refusal, undefined);
    }
    const text = typeof body === 'string' ? body : declaredText(req.headers['content-type'], body);
    if (typeof text !== 'string') return done(text, undefined);
    let json: unknown;
    try {
      json = exactIntegers ? parseJsonExact(text) : JSON.parse(text);
    } catch {
      return done(new HttpError(400, 'malformed_json', 'The body is not valid JSON'), undefined);
    }
    if (boundedDepth && nestsDeeperThan(json)) return done(new HttpError(400, 'too_deep', `The body nests more than ${MAX_JSON_DEPTH} levels deep`), undefined);
    // A NUL can only be written `\u0000` in JSON text: bodies without one (nearly all) are not walked.
    // The sender's text is kept with U+FFFD in the NUL's place (lib/workflow/nul-text.ts): a
    // refusal would lose a Chatwoot message, fail every retry of a Meta delivery, and lose a
    // /hooks event. `raw` stays as sent, for the signature.
    done(null, { raw: body, json: text.includes('\\u0000') ? replaceNulDeep(json) : json });
  };
