import diagnostics from 'node:diagnostics_channel';
import { BEFORE_CONNECTION } from '../outbound/errors';

// What a failed fetch to the Graph API tells about the request: whether any byte of it can have
// reached Meta. fetch (undici) rejects with `TypeError: fetch failed` and puts the socket's error
// in `cause` (https://nodejs.org/api/globals.html#fetch; undici's errors:
// https://undici.nodejs.org/#/docs/api/Errors). Node writes nothing of the request before the
// connection, TLS included, is up, so these failures leave nothing on Meta's side and a send may
// be tried again without risking a second message. Any other failure may come after the request
// was written, and then a second send may be a second message to the customer.

/** No connection: refused, no route, DNS (outbound/errors.ts), or undici's connect timeout. */
const NOT_CONNECTED = new Set([...BEFORE_CONNECTION, 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'UND_ERR_CONNECT_TIMEOUT']);
/**
 * The server's certificate was refused. Node checks it when the handshake ends, before the
 * connection is handed over, so only during a connect (https://nodejs.org/api/tls.html#x509-certificate-error-codes;
 * ERR_TLS_CERT_ALTNAME_*: tls.checkServerIdentity). Not `ERR_SSL_*` by its code: OpenSSL's codes
 * say what broke, not when, and a bad record or an alert on a live (reused) connection, after the
 * request was written, has one too (ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC).
 */
const CERTIFICATE_REFUSED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_CRL', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECRYPT_CRL_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE', 'CRL_SIGNATURE_FAILURE', 'CERT_NOT_YET_VALID', 'CERT_HAS_EXPIRED', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD', 'ERROR_IN_CRL_LAST_UPDATE_FIELD', 'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED', 'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_TLS_CERT_ALTNAME_FORMAT',
]);

/**
 * The errors undici met while opening a connection (DNS, TCP, the whole TLS handshake: a protocol
 * or cipher mismatch, a proxy that is not TLS, a reset before the handshake ended), before any
 * request was written on it: it publishes them on `undici:client:connectError`
 * (https://undici.nodejs.org/#/docs/api/DiagnosticsChannel), Node's own fetch included. Kept by
 * object, so the same code met later on a live connection does not count.
 */
const connectFailures = new WeakSet<object>();
diagnostics.subscribe('undici:client:connectError', (message) => {
  const error = (message as { error?: unknown } | null)?.error;
  if (error && typeof error === 'object') connectFailures.add(error);
});

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The socket error's code, and whether it proves the request never left (every address tried, when several were). */
export function fetchFailure(err: unknown): { code: string | undefined; neverSent: boolean } {
  const cause = (err as { cause?: unknown } | null)?.cause ?? err;
  const notSent = (e: unknown) => {
    const c = codeOf(e);
    return (typeof e === 'object' && e !== null && connectFailures.has(e)) || (c !== undefined && (NOT_CONNECTED.has(c) || CERTIFICATE_REFUSED.has(c)));
  };
  // Happy eyeballs (autoSelectFamily): one error per address tried, in an AggregateError.
  const all = cause instanceof AggregateError && cause.errors.length ? cause.errors : [cause];
  const code = codeOf(cause) ?? codeOf(all[0]);
  return { code, neverSent: notSent(cause) || all.every(notSent) };
}

/** The words for a fetch that failed: what happened, and whether Meta may have the request. */
export function describeFetchFailure(err: unknown, timeoutMs: number): { message: string; neverSent: boolean } {
  const { code, neverSent } = fetchFailure(err);
  if (neverSent) return { message: `Graph API unreachable (${code}): the request was not sent`, neverSent };
  if ((err as Error | null)?.name === 'TimeoutError') return { message: `Graph API did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}: the request had been sent, so Meta may have it`, neverSent };
  const detail = code ?? ((err as { cause?: Error } | null)?.cause?.message || (err as Error | null)?.message || 'unknown error');
  return { message: `Graph API connection lost (${detail}): the request may have reached Meta`, neverSent };
}
