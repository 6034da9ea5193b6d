// What a Graph call carried, never handed on from Meta's refusal of it. Meta quotes a token it
// cannot parse whole ("Malformed access token EAAG…", code 190:
// github.com/facebookarchive/react-native-fbsdk/issues/220), and an error may quote a URL holding
// one (`…?access_token=…`, as a paging `next` link does: https://developers.facebook.com/docs/graph-api/results).
// The refusal's words go to the channel's lastError, run errors, the thread's "Not sent: …" line,
// error answers and the log, so they are masked once, where the error is made, by the one rule
// for secrets in another side's answer (outbound/mask.ts), however the text escapes them.
import { excerpt } from '../outbound/excerpt';
import { masked } from '../outbound/mask';
import type { GraphErrorBody } from './graph';

/** Query parameters that hold a Meta credential (an access token, an app secret or its proof). */
const CREDENTIAL_PARAMS = ['access_token', 'appsecret_proof', 'client_secret', 'input_token', 'fb_exchange_token'];
/** A credential parameter's value in a quoted URL, its `=` written as is or percent-encoded. */
const QUOTED_CREDENTIAL = new RegExp(`(?:${CREDENTIAL_PARAMS.join('|')})(?:=|%3[dD])([^&\\s"'<>\\\\#]+)`, 'g');
/** Meta's error object is two levels deep (error.error_data.details): anything nested deeper is dropped, not shown unmasked. */
const MAX_DEPTH = 6;
/** As much of an answer that is not Meta's error object as an error message shows. */
const SHOWN_CHARS = 200;

/** The secrets a request carries: its bearer token and any credential in its query. */
export function carriedSecrets(token: string, query: Record<string, string> = {}): string[] {
  return [token, ...CREDENTIAL_PARAMS.map((p) => query[p]).filter((v): v is string => !!v)];
}

/** `text` with `secrets` masked, and any credential a URL in it holds (one the request did not carry: Meta's own link). */
function maskedText(text: string, secrets: readonly string[]): string {
  const quoted = [...text.matchAll(QUOTED_CREDENTIAL)].map((m) => m[1]!);
  return masked(text, quoted.length ? [...secrets, ...quoted] : secrets);
}

function maskedDeep(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return maskedText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((v) => maskedDeep(v, secrets, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskedDeep(v, secrets, depth + 1)]));
}

/**
 * Meta's error object from a failed answer (`json`: the body parsed, undefined when it is not
 * JSON), every text in it masked; an answer without one is described by its status and the start
 * of its body, masked before it is cut.
 */
export function maskedErrorBody(status: number, json: unknown, text: string, secrets: readonly string[]): GraphErrorBody {
  const error = (json as { error?: unknown } | undefined)?.error;
  if (error && typeof error === 'object' && !Array.isArray(error)) return maskedDeep(error, secrets, 0) as GraphErrorBody;
  if (!text) return { message: `HTTP ${status}` };
  // excerpt() reads no further than its first 64 KiB either.
  const quoted = [...text.slice(0, 64 * 1024).matchAll(QUOTED_CREDENTIAL)].map((m) => m[1]!);
  return { message: `HTTP ${status}: ${excerpt(text, SHOWN_CHARS, [...secrets, ...quoted])}` };
}
