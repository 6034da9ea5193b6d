import type { FastifyServerOptions } from 'fastify';

// Nothing secret reaches the log at any level: URL tokens (webhook URLs, the event stream's
// ?token=) live in the request line, so every URL is logged without its query's values and
// without the token segment of webhook paths. Headers are not logged at all.
const TOKEN_PATHS = /(\/(?:hooks|chatwoot\/webhook|webhooks?)\/+)[^/?#\s"']+/gi;
// Every pattern here runs on text from outside, up to a 16 KiB request line: none may backtrack
// over what it already read (`?????…` took 0.7 s a line when a key could hold a `?`).
const QUERY_VALUES = /([?&][^?=&#\s"']*=)[^&#\s"']*/g;
// `https://user:password@host`: a sender or an admin pasted a URL with its credentials.
const USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/?#@"'<>]+@/gi;

/** A URL (or any text holding URLs) with query values and webhook path tokens replaced by [redacted]. */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, '$1[redacted]@').replace(TOKEN_PATHS, '$1[redacted]').replace(QUERY_VALUES, '$1[redacted]');
}

// A request line is one URL, not prose: nothing in it ends a token but the URL's own separators.
// A verify token may hold a quote (the admin chose it, Node takes it raw), a raw client may send
// a #fragment, and `/hooks//<token>` is a base URL ending in a slash: each once leaked the rest.
const REQUEST_TOKEN_PATHS = /(\/(?:hooks|chatwoot\/webhook|webhooks?)\/+)[^/?#]+/gi;
const REQUEST_QUERY_VALUES = /([?&][^?=&#]*=)[^&#]*/g;
const FRAGMENT = /#.*$/s;

/** A request's URL as the log shows it: no credentials, webhook token, query value or fragment. */
export function redactRequestUrl(url: string): string {
  return redactText(url.replace(USERINFO, '$1[redacted]@').replace(FRAGMENT, '#[redacted]')
    .replace(REQUEST_TOKEN_PATHS, '$1[redacted]').replace(REQUEST_QUERY_VALUES, '$1[redacted]'));
}

// Tokens that found their way into a message (an error quoting a header, an answer, a form body).
const BEARER = /\b(Bearer\s+)\S+/gi;
// A header echoed whole (`Authorization: Basic …`): its value is the credential.
const AUTHORIZATION = /\b(authorization(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)(?!\[redacted\])[^"'\\\r\n,;]+/gi;
// The companion's own keys and signing secrets.
const TOKEN_LIKE = /\b(ic[ta]_|whsec_)[A-Za-z0-9_+/=-]{8,}/g;
// Meta's user, Page and system-user tokens all start with EAA (developers.facebook.com/docs/
// facebook-login/guides/access-tokens); Graph's 190 refusal quotes them ("Malformed access token EAAG…").
const META_TOKEN = /\bEAA[A-Za-z0-9][A-Za-z0-9._|%+/=-]{8,}/g;
// A named credential however it is written: `access_token=…` in a form body, `"api_access_token":"…"`
// in JSON (escaped or not), `api_access_token: …` as a header echo (Chatwoot's token has no
// prefix a pattern could know), `"password"=>"…"` in a Ruby hash. The name must end the key, so
// ids (runId, conversationId, sendKey) stay readable for support.
const NAMED = /((?<![\w.-])[\w.-]{0,64}(?:token|api[_-]?key|secret|password|passwd)(?:\\?["'])?\s*(?:=>|[=:])\s*(?:\\?["'])?)(?!\[redacted\])[^\s&#"'\\,;}<>)\]]+/gi;
const NAMED_HINT = /token|api[_-]?key|secret|passw/i;

/** Credentials known by their shape alone (ours, Meta's): what a stored text is masked by besides the workspace's own (secrets/stored-texts.ts). */
export const redactTokenShapes = (text: string) => text.replace(TOKEN_LIKE, '$1[redacted]').replace(META_TOKEN, '[redacted]');

export function redactText(text: string): string {
  const shown = redactTokenShapes(redactUrl(text).replace(AUTHORIZATION, '$1[redacted]').replace(BEARER, '$1[redacted]'));
  return NAMED_HINT.test(shown) ? shown.replace(NAMED, '$1[redacted]') : shown;
}

/** How deep a logged object's texts are scrubbed; deeper values are not logged at all. */
const MAX_DEPTH = 4;
const isPlain = (v: object) => { const p = Object.getPrototypeOf(v); return p === Object.prototype || p === null; };

/** `value` with every text in it scrubbed; class instances are left to their serializer. */
function scrubbed(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return depth >= MAX_DEPTH ? '[too deep]' : value.map((v) => scrubbed(v, depth + 1));
  if (!isPlain(value)) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubbed(v, depth + 1)]));
}

type Req = { method?: string; url?: string; hostname?: string; ip?: string; socket?: { remotePort?: number } };
type Err = { type?: string; message?: string; stack?: string; code?: string; statusCode?: number };

/** pino options for Fastify's logger: the request line redacted, error texts scrubbed, messages too. */
export function loggerOptions(level: string): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  const serialized = new Set(['req', 'res', 'err']);
  return {
    level,
    serializers: {
      req: (req: Req) => ({ method: req.method, url: redactRequestUrl(req.url ?? ''), host: req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
      err: (err: Err) => ({
        type: err?.type ?? (err as Error)?.constructor?.name ?? 'Error', message: redactText(String(err?.message ?? err)),
        stack: redactText(err?.stack ?? ''), code: err?.code, statusCode: err?.statusCode,
      }),
    },
    formatters: {
      // A line's other fields (an outbox delivery's `error`, Meta's error `details`, a sync's
      // `notes`) quote other sides as freely as an error does.
      log: (object) => Object.fromEntries(Object.entries(object).map(([k, v]) => [k, serialized.has(k) ? v : scrubbed(v, 0)])),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
      },
    },
  };
}
