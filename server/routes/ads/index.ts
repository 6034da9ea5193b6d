import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Ad, AdCatalog, AdWithEligibility, adEligibility } from '../../../lib/contracts/ads';
import { nowIso } from '../../ids';
import { listAds } from '../../webhooks/ads';


/** The ads catalog the Click-to-Chat trigger picks from; each ad says whether it may trigger and why not. */
export const adRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;

  app.get('/ads', { config: { access: { role: 'agent' } }, schema: { tags: ['ads'], response: { 200: AdCatalog } } },
    async () => ({ ads: (await listAds(db)).map((ad) => ({ ...ad, ...adEligibility(ad) })) }));

  // Create or update by ad id (a catalog sync posts the same ad again when its status changes): 201 new, 200 updated.
  app.post('/ads', { config: { access: { role: 'admin' } }, schema: { tags: ['ads'], body: Ad, response: { 200: AdWithEligibility, 201: AdWithEligibility } } },
    async (req, reply) => {
      const ad = req.body;
      const values = {
        ad_account_id: ad.adAccountId, name: ad.name, channel: ad.channel, status: ad.status, objective: ad.objective,
        optimization_goal: ad.optimizationGoal, destination_type: ad.destinationType,
      };
      const existed = await db.selectFrom('ads').select('ad_id').where('ad_id', '=', ad.adId).executeTakeFirst();
      await db.insertInto('ads').values({ ad_id: ad.adId, ...values, created_at: nowIso() })
        .onConflict((oc) => oc.column('ad_id').doUpdateSet(values)).execute();
      return reply.code(existed ? 200 : 201).send({ ...ad, ...adEligibility(ad) });
    });
};
