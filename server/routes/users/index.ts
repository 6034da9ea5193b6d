import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Me, Restrictions, RestrictionsPatch, UserCreateBody, UserCreated, UserList, User, UserRestrictionsPatch } from '../../../lib/contracts/users';
import { requireUser } from '../../auth/plugin';
import { permissionsOf } from '../../auth/principal';
import { createUser, getRestrictions, getUser, listUsers, setRestrictions, setUserShortcutsEnabled } from '../../domain/users';
import { shortcutsVersion } from '../../engine/shortcuts/version';

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, live } = app.services;

  app.get('/me', { config: { access: { role: 'agent' } }, schema: { tags: ['users'], response: { 200: Me } } }, async (req) => {
    const user = requireUser(req);
    const { agentsCanUseShortcuts } = await getRestrictions(db);
    return { user, permissions: permissionsOf(user, agentsCanUseShortcuts) };
  });

  app.post('/users', { config: { access: { role: 'admin' } }, schema: { tags: ['users'], body: UserCreateBody, response: { 201: UserCreated } } },
    async (req, reply) => reply.code(201).send(await createUser(db, req.body)));

  app.get('/users', { config: { access: { role: 'supervisor' } }, schema: { tags: ['users'], response: { 200: UserList } } },
    async () => ({ users: await listUsers(db) }));

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
    schema: { tags: ['restrictions'], params: z.object({ id: z.string().max(64) }), body: UserRestrictionsPatch, response: { 200: User } },
  }, async (req) => {
    await getUser(db, req.params.id);
    const user = await setUserShortcutsEnabled(db, req.params.id, req.body.shortcutsEnabled);
    await announce();
    return user;
  });
};
