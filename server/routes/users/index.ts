import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Me, Restrictions, RestrictionsPatch, TeammateList, UserChanged, UserCreateBody, UserCreated, UserList, User, UserPatchBody, UserRestrictionsPatch, UserTokenIssued } from '../../../lib/contracts/users';
import { AppMe } from '../../../lib/contracts/app-me';
import { appWhoAmI } from '../../apps/whoami';
import { requireUser } from '../../auth/plugin';
import { hasRole, permissionsOf } from '../../auth/principal';
import { createUser, getRestrictions, getUser, issueNewToken, listTeammates, listUsers, setRestrictions, setUserShortcutsEnabled, updateUser } from '../../domain/users';
import { forbidden, HttpError } from '../../http-error';
import { shortcutsVersion } from '../../engine/shortcuts/version';
import { answerUserChange } from './chatwoot-unassign';

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, live } = app.services;

  // An app key too, whatever its scopes: a mini-app checks what its key may do here (AppMe).
  app.get('/me', {
    config: { access: { role: 'agent', anyAppKey: true } },
    schema: {
      tags: ['users'], response: { 200: z.union([Me, AppMe]) },
      summary: 'Who the token belongs to: a user and what they may do, or an app key\'s app, installation and exact scopes',
    },
  }, async (req) => {
    if (req.principal?.kind === 'app') return appWhoAmI(db, req.principal);
    const user = requireUser(req);
    const { agentsCanUseShortcuts } = await getRestrictions(db);
    return { user, permissions: permissionsOf(user, agentsCanUseShortcuts) };
  });

  app.post('/users', { config: { access: { role: 'admin' } }, schema: { tags: ['users'], body: UserCreateBody, response: { 201: UserCreated } } },
    async (req, reply) => reply.code(201).send(await createUser(db, req.body)));

  app.get('/users', { config: { access: { role: 'supervisor' } }, schema: { tags: ['users'], response: { 200: UserList } } },
    async () => ({ users: await listUsers(db) }));

  // Agents need their teammates' names (who a conversation is assigned to, who replied), not
  // their emails or settings: a route of its own, so each route answers one shape.
  app.get('/teammates', {
    config: { access: { role: 'agent' } },
    schema: {
      tags: ['users'], response: { 200: TeammateList },
      summary: 'Every user\'s id, name, role, kind and whether active, for any signed-in user; their email too for supervisors and admins (settings: GET /users)',
    },
  }, async (req) => ({ users: await listTeammates(db, hasRole(requireUser(req), 'supervisor')) }));

  const UserParams = z.object({ id: z.string().max(64) });

  app.patch('/users/:id', {
    config: { access: { role: 'admin' } },
    schema: {
      tags: ['users'], params: UserParams, body: UserPatchBody, response: { 200: UserChanged },
      summary: 'Rename a user, change their role, deactivate (active: false) or reactivate them',
      description: 'Deactivating stops their tokens and inbox sessions at once (401), ends their live streams and unassigns their open conversations (those in Chatwoot there too, after the change: `chatwootUnassignFailed` lists the ones Chatwoot did not take); what they did keeps their name. 409 last_admin when no active admin would be left.',
    },
  }, async (req) => answerUserChange(app.services, req, await updateUser(app.services, requireUser(req), req.params.id, req.body)));

  // No hard delete: a user's messages, assignments, runs and events name them. DELETE deactivates
  // (as PATCH {"active": false}), so a script's "remove user" cuts them off and keeps history.
  app.delete('/users/:id', {
    config: { access: { role: 'admin' } },
    schema: {
      tags: ['users'], params: UserParams, response: { 200: UserChanged },
      summary: 'Deactivate a user (there is no hard delete: history keeps their name)',
    },
  }, async (req) => answerUserChange(app.services, req, await updateUser(app.services, requireUser(req), req.params.id, { active: false })));

  app.post('/users/:id/token', {
    config: { access: { role: 'agent' } },
    schema: {
      tags: ['users'], params: UserParams, response: { 200: UserTokenIssued },
      summary: 'A new API token for the user, shown once; every earlier token of theirs (inbox sessions too) stops at once',
      description: 'Admins, for anyone (bots included); any user, for themselves.',
    },
  }, async (req) => {
    const caller = requireUser(req);
    if (caller.id !== req.params.id && !hasRole(caller, 'admin')) throw forbidden('Only an admin may give another user a new token; you may renew your own');
    return issueNewToken(app.services, req.params.id);
  });

  app.get('/settings/restrictions', { config: { access: { role: 'supervisor' } }, schema: { tags: ['restrictions'], response: { 200: Restrictions } } },
    async () => getRestrictions(db));

  const announce = async () => live.publish({ type: 'restrictions.changed', version: await shortcutsVersion(db) });

  app.patch('/settings/restrictions', { config: { access: { role: 'supervisor' } }, schema: { tags: ['restrictions'], body: RestrictionsPatch, response: { 200: Restrictions } } },
    async (req) => {
      await setRestrictions(db, req.body);
      await announce();
      return getRestrictions(db);
    });

  app.patch('/users/:id/restrictions', {
    config: { access: { role: 'supervisor' } },
    schema: {
      tags: ['restrictions'], params: z.object({ id: z.string().max(64) }), body: UserRestrictionsPatch, response: { 200: User },
      description: 'An agent\'s own shortcuts switch. Supervisors and admins can always use shortcuts: 422 `not_an_agent` for them.',
    },
  }, async (req) => {
    const target = await getUser(db, req.params.id);
    // As in respond.io and Chatwoot, supervisors restrict agents: a supervisor or admin always may
    // launch (permissionsOf), so a switch kept for them would show a setting that does nothing.
    if (target.role !== 'agent') {
      throw new HttpError(422, 'not_an_agent', `Shortcut restrictions apply to agents only: ${target.name} is ${target.role === 'admin' ? 'an admin' : 'a supervisor'}, who can always use shortcuts`,
        [{ path: 'params.id', message: `Not an agent (${target.role})` }]);
    }
    const user = await setUserShortcutsEnabled(db, req.params.id, req.body.shortcutsEnabled);
    await announce();
    return user;
  });
};
