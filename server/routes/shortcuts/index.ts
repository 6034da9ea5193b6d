import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LaunchBody, LaunchResult, ShortcutList } from '../../../lib/contracts/shortcuts';
import { requireUser } from '../../auth/plugin';
import { requestLocales } from '../../http/accept-language';
import { launchShortcut } from '../../engine/shortcuts/launch';
import { listShortcuts } from '../../engine/shortcuts/list';

/** Shortcuts for the launcher (any signed-in user); launching is checked against restrictions. */
export const shortcutRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  const user = { access: { role: 'agent' as const } };

  app.get('/shortcuts', { config: user, schema: { tags: ['shortcuts'], summary: 'The shortcuts this user may launch, by name as the languages of Accept-Language sort them (numbers by value)', response: { 200: ShortcutList } } },
    async (req) => listShortcuts(services.db, requireUser(req), requestLocales(req.headers['accept-language'])));

  app.post('/shortcuts/:id/launch', {
    config: user,
    schema: { tags: ['shortcuts'], params: z.object({ id: z.string().max(100) }), body: LaunchBody, response: { 202: LaunchResult } },
  }, async (req, reply) => reply.code(202).send(await launchShortcut(services, requireUser(req), req.params.id, req.body)));
};
