import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isActive } from '../../lib/contracts/users';
import { HttpError } from '../http-error';
import { getUser } from '../domain/users';
import { FixedWindowLimiter, tooManyRequests } from '../webhooks/rate-window';
import { bearerToken } from './bearer';
import { revokedAppKeyMessage } from './revoked-app-key';
import { findToken, hasIssuedForm } from './tokens';
import { inboxSessionToken } from '../routes/inbox/session-cookie';
import { hasRole, type Access, type Principal } from './principal';

declare module 'fastify' {
  interface FastifyContextConfig { access?: Access }
  interface FastifyRequest { principal: Principal | null }
}

const unauthorized = (message: string) =>
  new HttpError(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer' });

export const DEACTIVATED_MESSAGE = 'This account has been deactivated: an admin of the workspace can reactivate it (Settings → Users)';
const deactivated = () => unauthorized(DEACTIVATED_MESSAGE);

/** Authenticates every route that declares `config.access`, and enforces role / scope. */
export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('principal', null);
  // Failed authentications per client address: past the limit, failing requests get 429s, and a
  // token that could be guessed (a COMPANION_ADMIN_TOKEN of the operator's choosing, anything not
  // of the issued form) is refused without a lookup, so guessing it stays limited. A token of the
  // issued form (256 random bits: guessing it is hopeless at any rate) is still looked up and, when
  // valid, accepted: many clients can share one address (a proxy not named in TRUST_PROXY, a NAT),
  // and refusing valid tokens let one anonymous client lock every user out, renewable at will.
  const failures = new FixedWindowLimiter(app.services.config.authFailuresPerMinute, 60_000, 10_000);
  const failed = (request: FastifyRequest, err: HttpError) => {
    const hit = failures.hit(request.ip);
    return hit.exceeded ? tooManyRequests(hit) : err;
  };
  // onRequest, before the body is read and validated: a caller without the right token or
  // role learns nothing about the body's shape (401/403, not 400/415/422).
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access.public) return;
    const header = bearerToken(request);
    if (header === null) throw failed(request, unauthorized('The Authorization header is not "Bearer <token>"'));
    // The built-in inbox signed in through the extension sends a login cookie instead (one sign-in).
    const token = header || inboxSessionToken(request, app.services.config.publicUrl);
    if (!token) {
      const inQuery = typeof (request.query as Record<string, unknown> | undefined)?.token === 'string';
      throw failed(request, unauthorized(inQuery
        ? 'A token in the URL is accepted only by the live event stream; send "Authorization: Bearer <token>"'
        : 'Send your token as "Authorization: Bearer <token>"'));
    }
    if (!hasIssuedForm(token) && failures.peek(request.ip)) throw failed(request, unauthorized('Unknown token'));
    // No cache of tokens or users here, on purpose: a revoked token or a deactivated user is
    // refused by the very next request, on every instance sharing the database.
    const row = await findToken(app.services.db, token);
    if (!row) throw failed(request, unauthorized('Unknown token'));
    const user = row.kind === 'user' && row.user_id ? await getUser(app.services.db, row.user_id).catch(() => undefined) : undefined;
    // Said first: their inbox cookies were revoked by the deactivation itself.
    if (user && !isActive(user)) throw failed(request, deactivated());
    if (row.revoked_at) {
      throw failed(request, unauthorized(row.kind === 'app' ? await revokedAppKeyMessage(app.services.db, row) : 'This token has been revoked'));
    }
    if (row.expires_at && row.expires_at <= new Date().toISOString()) {
      // An app key expires only when a newer key replaced it (server/apps/api-key.ts).
      throw failed(request, unauthorized(row.kind === 'app'
        ? `This API key was replaced by a newer one and stopped working at ${row.expires_at}: use the key sent in the latest subscribe request`
        : 'This sign-in has expired: open the inbox again from the extension'));
    }
    if (row.kind === 'user' && row.user_id) {
      if (!user) throw unauthorized('The user of this token no longer exists');
      if (access.appOnly) throw new HttpError(403, 'forbidden', 'Only an installed app\'s API key may call this');
      if (access.role && !hasRole(user, access.role)) {
        throw new HttpError(403, 'forbidden', `This needs the ${access.role} role; you are ${user.role === 'agent' ? 'an' : 'a'} ${user.role}`);
      }
      request.principal = { kind: 'user', user, tokenId: row.id };
      return;
    }
    const installation = row.installation_id
      ? await app.services.db.selectFrom('installations').select(['id', 'app_id']).where('id', '=', row.installation_id).executeTakeFirst()
      : undefined;
    if (!installation) throw unauthorized('This app is no longer installed');
    if (!access.appOnly && !access.anyAppKey && (!access.scope || !row.scopes.includes(access.scope))) {
      throw new HttpError(403, 'forbidden', access.scope
        ? `This API key lacks the ${access.scope} scope`
        : 'App API keys cannot call this endpoint');
    }
    request.principal = { kind: 'app', appId: installation.app_id, installationId: installation.id, scopes: row.scopes, tokenId: row.id };
  });
});

export function requireUser(request: FastifyRequest) {
  const p = request.principal;
  if (!p || p.kind !== 'user') throw new HttpError(403, 'forbidden', 'Only a signed-in user may do this');
  return p.user;
}
