import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Ad, AdAccount, AdAccountList, AdCatalog, AdSyncResult, AdWithEligibility, AdWorkflowWarnings, LinkAdAccountBody, adEligibility } from '../../../lib/contracts/ads';
import { linkAdAccount, listAdAccounts, syncAdAccount, unlinkAdAccount } from '../../channels/ads-sync';
import { nowIso } from '../../ids';
import { fromJson } from '../../store/database';
import { listAds } from '../../webhooks/ads';
import { NoContent } from '../../http/openapi';
import { storedTextMasker, withShownLastError } from '../../secrets/stored-texts';

const Params = z.object({ id: z.string().max(64) });

/** The ads catalog the Click-to-Chat trigger picks from; each ad says whether it may trigger and why not. */
export const adRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  const { db } = services;
  const admin = { access: { role: 'admin' as const } };

  app.get('/ads', { config: { access: { role: 'agent' } }, schema: { tags: ['ads'], response: { 200: AdCatalog } } },
    async () => ({ ads: (await listAds(db)).map((ad) => ({ ...ad, ...adEligibility(ad) })) }));

  // Create or update by ad id (hand-entered, for accounts that are not linked): 201 new, 200 updated.
  app.post('/ads', { config: admin, schema: { tags: ['ads'], body: Ad, response: { 200: AdWithEligibility, 201: AdWithEligibility } } },
    async (req, reply) => {
      const { createdInInstagram: _ignored, source: _set, ...ad } = req.body;
      const values = {
        ad_account_id: ad.adAccountId, name: ad.name, channel: ad.channel, status: ad.status, objective: ad.objective,
        optimization_goal: ad.optimizationGoal, destination_type: ad.destinationType, source: 'manual', created_in_instagram: 0,
      };
      const existed = await db.selectFrom('ads').select('ad_id').where('ad_id', '=', ad.adId).executeTakeFirst();
      await db.insertInto('ads').values({ ad_id: ad.adId, ...values, created_at: nowIso() })
        .onConflict((oc) => oc.column('ad_id').doUpdateSet(values)).execute();
      const stored = { ...ad, source: 'manual' as const };
      return reply.code(existed ? 200 : 201).send({ ...stored, ...adEligibility(stored) });
    });

  app.get('/ads/accounts', { config: admin, schema: { tags: ['ads'], summary: 'Ad accounts linked through the Marketing API', response: { 200: AdAccountList } } },
    async () => {
      // A Marketing API refusal stored by an older release may quote the account's token (stored-texts.ts).
      const [accounts, show] = await Promise.all([listAdAccounts(db), storedTextMasker(db, services.vault)]);
      return { accounts: accounts.map((a) => withShownLastError(a, show)) };
    });

  app.post('/ads/accounts', { config: admin, schema: { tags: ['ads'], summary: 'Link an ad account (verified with one Graph call); its ads are read at once, the answer waiting up to 5 s for them', body: LinkAdAccountBody, response: { 201: AdAccount } } },
    async (req, reply) => reply.code(201).send(await linkAdAccount(services, req.body)));

  app.delete('/ads/accounts/:id', { config: admin, schema: { tags: ['ads'], params: Params, response: { 204: NoContent } } }, async (req, reply) => {
    await unlinkAdAccount(db, req.params.id);
    return reply.code(204).send();
  });

  app.post('/ads/accounts/:id/sync', { config: { ...admin, errors: { 409: '`ad_account_token_unreadable`: the account\'s access token was forgotten with a lost secret key (npm run forget-secrets) or sealed with another: unlink it and link it again' } }, schema: { tags: ['ads'], summary: 'Read the account’s ads from the Marketing API now', params: Params, response: { 200: AdSyncResult } } },
    async (req) => syncAdAccount(services, req.params.id));

  // Published Click-to-Chat workflows whose ad has become ineligible (DELETED, ARCHIVED, …).
  app.get('/ads/workflow-warnings', { config: admin, schema: { tags: ['ads'], response: { 200: AdWorkflowWarnings } } }, async () => {
    const ads = new Map((await listAds(db)).map((a) => [a.adId, adEligibility(a)]));
    const rows = await db.selectFrom('workflows').select(['id', 'name', 'definition']).where('trigger_type', '=', 'click_to_chat_ads').where('status', '=', 'published').execute();
    const workflows = rows.flatMap((r) => {
      const adIds = fromJson<{ trigger?: { adIds?: string[] } }>(r.definition, {}).trigger?.adIds ?? [];
      const bad = adIds.flatMap((adId) => {
        const e = ads.get(adId);
        if (!e) return [{ adId, reasons: [`Ad ${adId} is no longer in the ads catalog`] }];
        return e.eligible ? [] : [{ adId, reasons: e.reasons }];
      });
      return bad.length ? [{ workflowId: r.id, name: r.name, ads: bad }] : [];
    });
    return { workflows };
  });
};
