import { BEFORE_CONNECTION } from '../outbound/errors';

// What a failed fetch to the Graph API tells about the request: whether any byte of it can have
// reached Meta. fetch (undici) rejects with `TypeError: fetch failed` and puts the socket's error
// in `cause` (https://nodejs.org/api/globals.html#fetch; undici's errors:
// https://undici.nodejs.org/#/docs/api/Errors). Node writes nothing of the request before the
// connection, TLS included, is up, so these failures leave nothing on Meta's side and a send may
// be tried again without risking a second message.

/** No connection: refused, no route, DNS (outbound/errors.ts), or undici's connect timeout. */
const NOT_CONNECTED = new Set([...BEFORE_CONNECTION, 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'UND_ERR_CONNECT_TIMEOUT']);
/** The TLS handshake failed (certificate checks, protocol): before the request's first byte. https://nodejs.org/api/tls.html#x509-certificate-error-codes */
const TLS_HANDSHAKE = /^(ERR_TLS_CERT|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|INVALID_CA$|INVALID_PURPOSE$)/;

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The socket error's code, and whether it proves the request never left (every address tried, when several were). */
export function fetchFailure(err: unknown): { code: string | undefined; neverSent: boolean } {
  const cause = (err as { cause?: unknown } | null)?.cause ?? err;
  const notSent = (e: unknown) => { const c = codeOf(e); return c !== undefined && (NOT_CONNECTED.has(c) || TLS_HANDSHAKE.test(c)); };
  // Happy eyeballs (autoSelectFamily): one error per address tried, in an AggregateError.
  const all = cause instanceof AggregateError && cause.errors.length ? cause.errors : [cause];
  const code = codeOf(cause) ?? codeOf(all[0]);
  return { code, neverSent: all.every(notSent) };
}

/** The words for a fetch that failed: what happened, and whether Meta may have the request. */
export function describeFetchFailure(err: unknown, timeoutMs: number): { message: string; neverSent: boolean } {
  const { code, neverSent } = fetchFailure(err);
  if (neverSent) return { message: `Graph API unreachable (${code}): the request was not sent`, neverSent };
  if ((err as Error | null)?.name === 'TimeoutError') return { message: `Graph API did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}: the request had been sent, so Meta may have it`, neverSent };
  const detail = code ?? ((err as { cause?: Error } | null)?.cause?.message || (err as Error | null)?.message || 'unknown error');
  return { message: `Graph API connection lost (${detail}): the request may have reached Meta`, neverSent };
}
