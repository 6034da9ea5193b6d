import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '../http-error';

/**
 * A body sent compressed (`Content-Encoding: gzip`, `deflate`, `br`, …): refused with a 415 that
 * says so (RFC 9110 §15.5.16, with `Accept-Encoding: identity` as RFC 7694 suggests), where
 * parsing the compressed bytes as JSON answered a misleading "not valid JSON". Called by the JSON
 * body parsers (the API's, the webhooks'), so it costs one header read per body and nothing else;
 * `identity` (no coding) passes. Undefined when the body may be parsed.
 */
export function compressedBodyRefusal(headers: IncomingHttpHeaders): HttpError | undefined {
  const coding = headers['content-encoding'];
  if (coding === undefined) return undefined;
  const codings = coding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return undefined;
  return new HttpError(415, 'unsupported_content_encoding',
    `Compressed bodies are not accepted (Content-Encoding: ${codings.join(', ')}); send the body uncompressed, without a Content-Encoding header`,
    undefined, { 'accept-encoding': 'identity' });
}
