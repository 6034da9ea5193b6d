import { HttpError } from '../http-error';

/**
 * A JSON media type declaring a charset other than UTF-8, tested (as Fastify tests a RegExp
 * parser) against Fastify's normalised header: `type/subtype; name="value"; …`, names lower-cased,
 * values quoted. Registered after JSON_MEDIA_TYPE, so tested before it: these bodies are read as
 * bytes and decoded by `declaredText`; every other JSON body (no charset, utf-8) keeps the string
 * parser. Fastify caches the parser chosen per header value, so the common case pays nothing.
 */
export const JSON_WITH_CHARSET = /^application\/(?:[a-z0-9!#$&^_.+-]+\+)?json; (?:.*; )?charset="(?!utf-?8")/i;

/** The charset parameter as Fastify reads parameters (`name=token` or `name="quoted"`). */
const CHARSET = /;\s*charset=(?:"([^"]*)"|([^;\s]*))/i;

/**
 * Decoders by label, lower-cased. Only labels TextDecoder knows are kept (the WHATWG list, a few
 * hundred at most); `null` for the labels of UTF-8 (`unicode-1-1-utf-8` & co.).
 */
const decoders = new Map<string, TextDecoder | null>();

/** The charset a Content-Type names, trimmed and lower-cased; '' when it names none. */
export function charsetOf(contentType: string | undefined): string {
  const match = contentType === undefined ? null : CHARSET.exec(contentType);
  return (match?.[1] ?? match?.[2] ?? '').trim().toLowerCase();
}

/** The decoder for a charset label; null for UTF-8, undefined for a label TextDecoder does not know. */
function decoderFor(label: string): TextDecoder | null | undefined {
  const known = decoders.get(label);
  if (known !== undefined) return known;
  let decoder: TextDecoder;
  try {
    // fatal: bytes that are not text in the declared charset are refused, not replaced.
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    return undefined;
  }
  const value = decoder.encoding === 'utf-8' ? null : decoder;
  decoders.set(label, value);
  return value;
}

/**
 * The text of a body whose Content-Type names a charset (JSON_WITH_CHARSET's bodies), decoded
 * by it: `latin1`, `iso-8859-1`, `windows-1252`, `utf-16`, `shift_jis`… as WHATWG decoders
 * read them (latin1 and iso-8859-1 are windows-1252 there, which is what senders mean). An
 * unknown charset is a 415 naming it; bytes that are not text in it are a 400. Labels of UTF-8
 * read as UTF-8 is read elsewhere (`toString`), so the text is the same whichever parser ran.
 */
export function declaredText(contentType: string | undefined, bytes: Buffer): string | HttpError {
  const label = charsetOf(contentType);
  const decoder = label === '' ? null : decoderFor(label);
  if (decoder === undefined) {
    return new HttpError(415, 'unsupported_charset',
      `The body's charset "${label}" is not supported; send the body as UTF-8 (Content-Type: application/json; charset=utf-8)`);
  }
  if (decoder === null) return bytes.toString();
  try {
    return decoder.decode(bytes);
  } catch {
    return new HttpError(400, 'invalid_charset',
      `The body is not valid ${decoder.encoding} text, as its Content-Type (charset=${label}) says it is; send it as UTF-8, or name the charset it is written in`);
  }
}

/**
 * The text of an answer to one of our outbound requests (an HTTP request step's, a mini-app
 * action's), decoded as its Content-Type says, as webhook bodies are. It cannot be refused, so
 * an unknown charset is read as UTF-8 and bytes that are not text in the declared one become
 * U+FFFD, each with a note for the run log.
 */
export function answerText(contentType: string | undefined, bytes: Buffer): { text: string; note?: string } {
  const label = charsetOf(contentType);
  const decoder = label === '' ? null : decoderFor(label);
  if (decoder === undefined) return { text: bytes.toString(), note: `The answer's charset "${label}" is unknown; it was read as UTF-8` };
  if (decoder === null) return { text: bytes.toString() };
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return {
      text: new TextDecoder(decoder.encoding).decode(bytes),
      note: `The answer is not valid ${decoder.encoding} text, as its Content-Type (charset=${label}) says it is; what could not be read shows as \uFFFD`,
    };
  }
}
