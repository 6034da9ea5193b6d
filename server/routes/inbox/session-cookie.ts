import type { FastifyReply, FastifyRequest } from 'fastify';
import { INBOX_CSRF_HEADER, INBOX_SESSION_COOKIE, INBOX_SESSION_HINT_COOKIE } from '../../../lib/contracts/inbox-session';
import { HttpError } from '../../http-error';

/** How long a sign-in through the extension lasts; then "Open inbox" again. */
export const INBOX_SESSION_MS = 12 * 60 * 60 * 1000;

function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostOf(origin: string): string | null {
  try { return new URL(origin).host; } catch { return null; }
}

/**
 * The inbox's login cookie, when a request carries one. A cookie is sent by the browser on its
 * own, so a write signed by it must also prove it comes from the inbox page: the page's custom
 * header (a cross-site form cannot set one, and a cross-origin script would need a CORS
 * preflight we do not grant) and, when the browser says, an Origin equal to this server's.
 * SameSite=Strict already keeps the cookie off cross-site requests; this is the second lock.
 */
export function inboxSessionToken(request: FastifyRequest, publicUrl?: string): string | undefined {
  const token = readCookie(request, INBOX_SESSION_COOKIE);
  if (!token) return undefined;
  if (!SAFE.has(request.method)) {
    const origin = request.headers.origin;
    // Behind a TLS proxy the scheme seen here differs: the host decides, or the configured PUBLIC_URL.
    const sameOrigin = !origin || origin === publicUrl || hostOf(origin) === request.headers.host;
    if (!request.headers[INBOX_CSRF_HEADER] || !sameOrigin) {
      throw new HttpError(403, 'forbidden', `A change signed by the inbox cookie must come from the inbox page (same origin, with the ${INBOX_CSRF_HEADER} header)`);
    }
  }
  return token;
}

/**
 * `publicUrl`: PUBLIC_URL. Behind a proxy that ends TLS the request reaches us over http; the
 * cookie is still Secure when PUBLIC_URL is https, or when a trusted proxy (TRUST_PROXY) says
 * X-Forwarded-Proto: https (Fastify's request.protocol reads it only from trusted peers).
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, publicUrl?: string) {
  const https = request.protocol === 'https' || (publicUrl ?? '').toLowerCase().startsWith('https:');
  const secure = https ? '; Secure' : '';
  const attrs = `Path=/; SameSite=Strict; Max-Age=${INBOX_SESSION_MS / 1000}${secure}`;
  reply.header('set-cookie', [
    `${INBOX_SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly; ${attrs}`,
    // No secret: lets the page know a session may exist without a 401 probe on every visit.
    `${INBOX_SESSION_HINT_COOKIE}=1; ${attrs}`,
  ]);
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.header('set-cookie', [
    `${INBOX_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`,
    `${INBOX_SESSION_HINT_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0`,
  ]);
}

export const sessionCookieOf = (request: FastifyRequest) => readCookie(request, INBOX_SESSION_COOKIE);
