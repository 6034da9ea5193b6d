import type { FastifyRequest } from 'fastify';
import { hashToken } from './tokens';

/**
 * The bearer token of a request: the Authorization header (scheme in any case, any spacing), or
 * `?token=` on the routes that allow it (`access.queryToken`: the live event stream).
 * `null` when a header is there but is not a bearer token (a malformed header is no token).
 */
export function bearerToken(request: FastifyRequest): string | undefined | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : null;
  }
  if (!request.routeOptions.config.access?.queryToken) return undefined;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}

/**
 * The rate limit's key: who is calling, not how the header was typed. The same token in any
 * spelling of the header ("bearer  X", "Bearer X ") is one bucket; requests without a token
 * share their address's bucket.
 */
export function rateLimitKey(request: FastifyRequest): string {
  const token = bearerToken(request);
  return token ? `token:${hashToken(token)}` : `ip:${request.ip}`;
}
