import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { App, AppList, AppManifest, AppRegistered, AppSigningSecret, FireTriggerBody, FireTriggerResult, Installation, InstallBody, StartWorkflowBody } from '../../../lib/contracts/apps';
import { startWorkflowFor } from '../../apps/start-workflow';
import { fireTrigger } from '../../apps/fire-trigger';
import { installApp, uninstallApp } from '../../apps/install';
import { deleteApp, rotateSigningSecret, updateApp } from '../../apps/manage';
import { OutboxWorker } from '../../apps/outbox';
import { getApp, insertApp, listApps } from '../../apps/store';
import { conflict } from '../../http-error';
import { generateSigningSecret } from '../../signing/standard-webhooks';
import { isUniqueViolation } from '../../store/database';
import { NoContent } from '../../http/openapi';

const Params = z.object({ id: z.string().max(64) });

/** Mini-apps (DESIGN §9): registration and installs (admin), triggers fired by the apps themselves. */
export const appRoutes: FastifyPluginAsyncZod<{ workers?: boolean }> = async (app, opts) => {
  const services = app.services;
  const { db } = services;

  // Unsubscribe requests (and any later outbox kinds) are delivered in the background.
  const outbox = new OutboxWorker(services);
  if (opts.workers !== false) {
    outbox.start();
    services.onClose(() => outbox.stop());
  }

  app.post('/apps', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['apps'], body: AppManifest, response: { 201: AppRegistered } },
  }, async (req, reply) => {
    if (await db.selectFrom('apps').select('id').where('key', '=', req.body.key).executeTakeFirst()) {
      throw conflict(`An app with the key "${req.body.key}" is already registered`);
    }
    // Shown this once: the app's server keeps it to verify the requests we sign.
    const signingSecret = generateSigningSecret();
    try {
      const registered = await insertApp(db, req.body, app.services.vault.seal(signingSecret));
      return reply.code(201).send({ app: registered, signingSecret });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`An app with the key "${req.body.key}" is already registered`);
      throw err;
    }
  });

  app.get('/apps', { config: { access: { role: 'admin' } }, schema: { tags: ['apps'], response: { 200: AppList } } },
    async () => ({ apps: await listApps(db) }));

  app.get('/apps/:id', { config: { access: { role: 'admin' } }, schema: { tags: ['apps'], params: Params, response: { 200: App } } },
    async (req) => getApp(db, req.params.id));

  // Not in DESIGN §8: change, remove, and re-key a registered app (docs/DESIGN-NOTES.md).
  app.put('/apps/:id', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['apps'], params: Params, body: AppManifest, response: { 200: App } },
  }, async (req) => updateApp(services, req.params.id, req.body));

  app.delete('/apps/:id', { config: { access: { role: 'admin' } }, schema: { tags: ['apps'], params: Params, response: { 204: NoContent } } },
    async (req, reply) => {
      await deleteApp(services, req.params.id);
      return reply.code(204).send();
    });

  app.post('/apps/:id/signing-secret/rotate', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['apps'], params: Params, response: { 200: AppSigningSecret } },
  }, async (req) => ({ signingSecret: await rotateSigningSecret(services, req.params.id) }));

  app.post('/apps/:id/install', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['apps'], params: Params, body: InstallBody, response: { 201: Installation } },
  }, async (req, reply) => reply.code(201).send(await installApp(services, req.params.id, req.body)));

  app.delete('/apps/:id/install', { config: { access: { role: 'admin' } }, schema: { tags: ['apps'], params: Params, response: { 204: NoContent } } },
    async (req, reply) => {
      await uninstallApp(services, req.params.id, () => outbox.wake());
      return reply.code(204).send();
    });

  app.post('/apps/:id/triggers/:triggerKey', {
    config: { access: { appOnly: true } },
    schema: {
      tags: ['apps'],
      params: Params.extend({ triggerKey: z.string().max(64) }),
      headers: z.object({ 'idempotency-key': z.string().trim().min(1).max(200).optional() }),
      body: FireTriggerBody,
      response: { 202: FireTriggerResult },
    },
  }, async (req, reply) => {
    const { duplicate, ...ack } = await fireTrigger(services, req.principal, req.params.id, req.params.triggerKey, req.body, req.headers['idempotency-key']);
    if (duplicate) reply.header('x-duplicate-delivery', 'true');
    return reply.code(202).send(ack);
  });

  // "Send sub flow" (scope workflows.start; admins too): its own route, not a mini-app trigger.
  app.post('/workflows/:id/start', {
    config: { access: { role: 'admin', scope: 'workflows.start' } },
    schema: {
      tags: ['apps'], summary: 'Start a published manual-trigger workflow for a contact, with variables',
      params: Params, body: StartWorkflowBody, response: { 202: FireTriggerResult },
    },
  }, async (req, reply) => reply.code(202).send(await startWorkflowFor(services, req.principal, req.params.id, req.body)));
};
