import type { FastifyServerOptions } from 'fastify';

// Nothing secret reaches the log at any level: URL tokens (webhook URLs, the event stream's
// ?token=) live in the request line, so every URL is logged without its query's values and
// without the token segment of webhook paths. Headers are not logged at all.
const TOKEN_PATHS = /(\/hooks\/|\/chatwoot\/webhook\/|\/webhooks?\/)[^/?#\s"']+/gi;
const QUERY_VALUES = /([?&][^=&#\s"']*=)[^&#\s"']*/g;

/** A URL (or any text holding URLs) with query values and webhook path tokens replaced by [redacted]. */
export function redactUrl(text: string): string {
  return text.replace(TOKEN_PATHS, '$1[redacted]').replace(QUERY_VALUES, '$1[redacted]');
}

// Bearer tokens that found their way into a message (an error quoting a header, say).
const BEARER = /\b(Bearer\s+)\S+/gi;
const TOKEN_LIKE = /\b(ic[ta]_|whsec_)[A-Za-z0-9_+/=-]{8,}/g;
export function redactText(text: string): string {
  return redactUrl(text).replace(BEARER, '$1[redacted]').replace(TOKEN_LIKE, '$1[redacted]');
}

type Req = { method?: string; url?: string; hostname?: string; ip?: string; socket?: { remotePort?: number } };
type Err = { type?: string; message?: string; stack?: string; code?: string; statusCode?: number };

/** pino options for Fastify's logger: the request line redacted, error texts scrubbed, messages too. */
export function loggerOptions(level: string): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    serializers: {
      req: (req: Req) => ({ method: req.method, url: redactUrl(req.url ?? ''), host: req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
      err: (err: Err) => ({
        type: err?.type ?? (err as Error)?.constructor?.name ?? 'Error', message: redactText(String(err?.message ?? err)),
        stack: redactText(err?.stack ?? ''), code: err?.code, statusCode: err?.statusCode,
      }),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
      },
    },
  };
}
