import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { INBOX_CSRF_HEADER, InboxCode, InboxSessionBody } from '../../../lib/contracts/inbox-session';
import { isActive, Me } from '../../../lib/contracts/users';
import { DEACTIVATED_MESSAGE, requireUser } from '../../auth/plugin';
import { permissionsOf } from '../../auth/principal';
import { findToken, hashToken, issueToken, revokeToken } from '../../auth/tokens';
import { getRestrictions, getUser, INBOX_SESSION_LABEL } from '../../domain/users';
import { HttpError } from '../../http-error';
import { nowIso, randomSecret } from '../../ids';
import { INBOX_SESSION_MS, clearSessionCookie, sessionCookieOf, setSessionCookie } from './session-cookie';
import { NoContent } from '../../http/openapi';

/** A sign-in code lives this long: enough for the new tab to load, too short to be worth stealing. */
export const INBOX_CODE_MS = 60_000;

const expired = () => new HttpError(401, 'unauthorized',
  'This sign-in link has expired or was already used: click "Open inbox" in the extension again, or sign in with your token.');

/**
 * One sign-in for the built-in inbox. The extension, holding the user's token, asks for a code;
 * it opens /inbox#code=…; the page trades the code (in a POST body) for an HttpOnly,
 * SameSite=Strict cookie holding a fresh 12-hour token of the same user. No token is ever in a URL.
 */
export const inboxSessionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;

  app.post('/auth/inbox-code', {
    config: { access: { role: 'agent' } },
    schema: { tags: ['users'], summary: 'A one-time code that signs the built-in inbox in (valid 60 s, single use)', response: { 201: InboxCode } },
  }, async (req, reply) => {
    const user = requireUser(req);
    const code = randomSecret();
    const now = Date.now();
    const expiresAt = new Date(now + INBOX_CODE_MS).toISOString();
    // Old codes go as new ones come: the table stays as small as the last minute's sign-ins.
    await db.deleteFrom('inbox_sign_in_codes').where('expires_at', '<', new Date(now).toISOString()).execute();
    await db.insertInto('inbox_sign_in_codes').values({ hash: hashToken(code), user_id: user.id, expires_at: expiresAt, used_at: null, created_at: nowIso() }).execute();
    return reply.code(201).send({ code, expiresAt, path: `/inbox#code=${code}` });
  });

  app.post('/auth/inbox-session', {
    config: { access: { public: true } },
    schema: { tags: ['users'], summary: 'Trade a sign-in code for the inbox login cookie', body: InboxSessionBody, response: { 200: Me } },
  }, async (req, reply) => {
    if (!req.headers[INBOX_CSRF_HEADER]) throw new HttpError(403, 'forbidden', `Send the ${INBOX_CSRF_HEADER} header (the inbox page does)`);
    const now = nowIso();
    // Single use even under a race: only the request whose update matched the unused row wins.
    const claimed = await db.updateTable('inbox_sign_in_codes').set({ used_at: now })
      .where('hash', '=', hashToken(req.body.code)).where('used_at', 'is', null).where('expires_at', '>', now)
      .returning(['user_id']).executeTakeFirst();
    if (!claimed) throw expired();
    const user = await getUser(db, claimed.user_id).catch(() => undefined);
    if (!user) throw expired();
    // Deactivated after asking for the code (deactivation also drops unused codes; this closes the gap).
    if (!isActive(user)) throw new HttpError(401, 'unauthorized', DEACTIVATED_MESSAGE);
    const { id, token } = await issueToken(db, { kind: 'user', userId: user.id }, INBOX_SESSION_LABEL);
    await db.updateTable('tokens').set({ expires_at: new Date(Date.now() + INBOX_SESSION_MS).toISOString() }).where('id', '=', id).execute();
    setSessionCookie(req, reply, token, app.services.config.publicUrl);
    const { agentsCanUseShortcuts } = await getRestrictions(db);
    return { user, permissions: permissionsOf(user, agentsCanUseShortcuts) };
  });

  app.delete('/auth/inbox-session', {
    config: { access: { public: true } },
    schema: { tags: ['users'], summary: 'Sign the inbox out: revoke its cookie\'s token and clear the cookie', response: { 204: NoContent } },
  }, async (req, reply) => {
    const token = sessionCookieOf(req);
    if (token) {
      if (!req.headers[INBOX_CSRF_HEADER]) throw new HttpError(403, 'forbidden', `Send the ${INBOX_CSRF_HEADER} header (the inbox page does)`);
      const row = await findToken(db, token);
      if (row && row.label === INBOX_SESSION_LABEL) await revokeToken(db, row.id);
    }
    clearSessionCookie(reply);
    return reply.code(204).send();
  });
};
