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
export const webhookBodyParser = (options: WebhookJsonOptions) =>
  (req: { headers: IncomingHttpHeaders }, body: string | Buffer, done: Done): void => {
    const refusal = encodingRefusal(req.headers);
    if (refusal) return done(refusal, undefined);
    const read = webhookJson(req.headers, body, options);
    return read instanceof HttpError ? done(read, undefined) : done(null, read);
  };

type WebhookJsonOptions = { boundedDepth: boolean; exactIntegers?: boolean };

/** One header read (absent on nearly every delivery): a gzip body says so rather than "not valid JSON". */
const encodingRefusal = (headers: IncomingHttpHeaders) =>
  (headers['content-encoding'] === undefined ? undefined : compressedBodyRefusal(headers));

/**
 * A Fastify content-type parser that keeps the body's bytes and parses nothing: for a route that
 * checks a signature over them first and only then reads the JSON (webhookJson), so a caller
 * without the secret costs no JSON.parse (Meta's 16 MiB deliveries took seconds of the event loop).
 */
export const rawWebhookBodyParser = (req: { headers: IncomingHttpHeaders }, body: Buffer, done: (err: Error | null, value?: Buffer) => void): void => {
  const refusal = encodingRefusal(req.headers);
  return refusal ? done(refusal, undefined) : done(null, body);
};

/** A webhook body's text read as webhookBodyParser reads it, or the refusal a parser would answer. */
export function webhookJson(headers: IncomingHttpHeaders, body: string | Buffer, { boundedDepth, exactIntegers = false }: WebhookJsonOptions): WebhookBody | HttpError {
  const text = typeof body === 'string' ? body : declaredText(headers['content-type'], body);
  if (typeof text !== 'string') return text;
  let json: unknown;
  try {
    json = exactIntegers ? parseJsonExact(text) : JSON.parse(text);
  } catch {
    return new HttpError(400, 'malformed_json', 'The body is not valid JSON');
  }
  if (boundedDepth && nestsDeeperThan(json)) return new HttpError(400, 'too_deep', `The body nests more than ${MAX_JSON_DEPTH} levels deep`);
  // A NUL can only be written `\u0000` in JSON text: bodies without one (nearly all) are not walked.
  // The sender's text is kept with U+FFFD in the NUL's place (lib/workflow/nul-text.ts): a
  // refusal would lose a Chatwoot message, fail every retry of a Meta delivery, and lose a
  // /hooks event. `raw` stays as sent, for the signature.
  return { raw: body, json: text.includes('\\u0000') ? replaceNulDeep(json) : json };
}
