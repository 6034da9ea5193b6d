import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { shortcutsVersion } from '../../engine/shortcuts/version';
import { webhookTokenColumns } from '../../secrets/at-rest';
import { IncomingWebhookTrigger } from '../../../lib/contracts/triggers';
import { WebhookTestResult } from '../../../lib/contracts/webhooks';
import { HttpError, notFound } from '../../http-error';
import { randomSecret } from '../../ids';
import { fromJson } from '../../store/database';
import { extractWebhook } from '../../webhooks/identify';
import { webhookDeliveries } from '../../webhooks/deliveries';
import { WebhookDeliveryList, WebhookDeliveryQuery } from '../../../lib/contracts/webhook-deliveries';
import { useExactJson } from '../../http/exact-api-json';

const Params = z.object({ id: z.string().max(64) });

/** Admin helpers for webhook workflows: the mapping tester and URL regeneration. */
export const webhookAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;

  async function webhookTrigger(id: string) {
    const row = await db.selectFrom('workflows').select(['id', 'definition', 'webhook_token']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`Workflow ${id}`);
    const trigger = IncomingWebhookTrigger.safeParse(fromJson<{ trigger?: unknown }>(row.definition, {}).trigger);
    if (!trigger.success) throw new HttpError(409, 'not_a_webhook_workflow', 'This workflow is not triggered by an incoming webhook');
    return { row, trigger: trigger.data };
  }

  // Its own context: only the tester's sample keeps long integers' digits (exact-api-json.ts).
  const testerRoutes: FastifyPluginAsyncZod = async (tester) => {
    useExactJson(tester);
    tester.post('/workflows/:id/webhook/test', {
      config: { access: { role: 'admin' } },
      schema: {
        tags: ['webhooks'], summary: 'What the identifier and mappings would extract from a sample body',
        params: Params,
        body: z.object({ body: z.unknown(), trigger: IncomingWebhookTrigger.optional() }),
        response: { 200: WebhookTestResult },
      },
    }, async (req) => {
      // The editor may test mappings it has not saved yet: a trigger in the request wins.
      const trigger = req.body.trigger ?? (await webhookTrigger(req.params.id)).trigger;
      return extractWebhook(db, trigger, req.body.body);
    });
  };
  await app.register(testerRoutes);

  app.get('/workflows/:id/webhook/deliveries', {
    config: { access: { role: 'admin' } },
    schema: {
      tags: ['webhooks'], summary: 'What the webhook URL received lately, newest first: whom each delivery named, and why no run started when none did',
      params: Params, querystring: WebhookDeliveryQuery, response: { 200: WebhookDeliveryList },
    },
  }, async (req) => {
    await webhookTrigger(req.params.id);
    return webhookDeliveries(db, req.params.id, req.query.limit, req.query.cursor);
  });

  app.post('/workflows/:id/webhook/regenerate', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['webhooks'], summary: 'Give the workflow a new webhook URL; the old one stops working', params: Params, response: { 200: z.object({ url: z.string() }) } },
  }, async (req) => {
    await webhookTrigger(req.params.id);
    const token = randomSecret();
    await db.updateTable('workflows').set(webhookTokenColumns(app.services.vault, token)).where('id', '=', req.params.id).execute();
    // The URL caches of every instance (live-tokens.ts, hook-workflows.ts) forget the old URL now.
    app.services.live.publish({ type: 'definitions.changed', version: await shortcutsVersion(db) });
    return { url: `${app.services.config.publicUrl}/hooks/${token}` };
  });
};
