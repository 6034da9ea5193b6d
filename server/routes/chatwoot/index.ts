import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChatwootAccount, ChatwootAccountList, ChatwootConnectBody, ChatwootOriginList, ChatwootPatchBody, ChatwootResolveQuery, ChatwootResolveResult, ChatwootSyncResult } from '../../../lib/contracts/chatwoot';
import { ChatwootApiError } from '../../connectors/chatwoot/api';
import { reconcileAccount } from '../../connectors/chatwoot/reconcile';
import { resolveChatwootConversation } from '../../connectors/chatwoot/resolve';
import { HttpError } from '../../http-error';
import { connectAccount, getConnection, listConnections, toAccount, updateAccount } from '../../connectors/chatwoot/connections';
import { NoContent } from '../../http/openapi';

const Params = z.object({ id: z.string().max(64) });

/** /api/v1/chatwoot: connect Chatwoot accounts (admin). */
export const chatwootRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;

  app.post('/chatwoot/accounts', {
    config: { access: { role: 'admin' } },
    schema: {
      tags: ['chatwoot'], summary: 'Connect a Chatwoot account (checks the token with one API call); answers the webhook URL to add in Chatwoot',
      body: ChatwootConnectBody, response: { 201: ChatwootAccount },
    },
  }, async (req, reply) => reply.code(201).send(await connectAccount(services, req.body)));

  app.get('/chatwoot/accounts', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['chatwoot'], summary: 'Connected Chatwoot accounts (tokens shown as their last four characters)', response: { 200: ChatwootAccountList } },
  }, async () => ({ accounts: (await listConnections(services, services.db)).map((c) => toAccount(services, c)) }));

  app.get('/chatwoot/accounts/:id', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['chatwoot'], params: Params, response: { 200: ChatwootAccount } },
  }, async (req) => toAccount(services, await getConnection(services, req.params.id)));

  app.patch('/chatwoot/accounts/:id', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['chatwoot'], summary: 'Replace the token (checked again) or the webhook signing secret', params: Params, body: ChatwootPatchBody, response: { 200: ChatwootAccount } },
  }, async (req) => updateAccount(services, req.params.id, req.body));

  app.post('/chatwoot/accounts/:id/sync', {
    config: { access: { role: 'admin' } },
    schema: {
      tags: ['chatwoot'], summary: 'Reconcile now over the REST API (also runs every CHATWOOT_SYNC_SECONDS): repairs what lost webhook deliveries missed',
      params: Params, response: { 200: ChatwootSyncResult },
    },
  }, async (req) => {
    await getConnection(services, req.params.id);
    try {
      const outcome = await reconcileAccount(services, req.params.id);
      return { ...outcome, account: toAccount(services, await getConnection(services, req.params.id)) };
    } catch (err) {
      if (err instanceof ChatwootApiError) throw new HttpError(502, 'chatwoot_sync_failed', `Sync failed: ${err.message}`);
      throw err;
    }
  });

  app.get('/chatwoot/origins', {
    config: { access: { role: 'agent' } },
    schema: { tags: ['chatwoot'], summary: 'Dashboard origins and account ids of the connected Chatwoot accounts (no secrets; any signed-in user)', response: { 200: ChatwootOriginList } },
  }, async () => ({
    origins: (await listConnections(services, services.db)).map((c) => ({ connectionId: c.row.id, name: c.row.name, origin: c.config.origin, accountId: c.config.accountId })),
  }));

  // Any signed-in user: the extension in Chatwoot's dashboard (or the Dashboard App page) asks
  // which companion conversation it is on, then launches shortcuts with POST /shortcuts/:id/launch.
  app.get('/chatwoot/conversations/resolve', {
    config: { access: { role: 'agent' } },
    schema: {
      tags: ['chatwoot'], summary: 'The companion conversation of a Chatwoot conversation (origin, account id, conversation number), mirrored on demand',
      querystring: ChatwootResolveQuery, response: { 200: ChatwootResolveResult },
    },
  }, async (req) => resolveChatwootConversation(services, req.query));

  app.delete('/chatwoot/accounts/:id', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['chatwoot'], summary: 'Disconnect: the webhook URL stops working; mirrored contacts and conversations stay', params: Params, response: { 204: NoContent } },
  }, async (req, reply) => {
    await getConnection(services, req.params.id);
    await services.db.deleteFrom('connections').where('id', '=', req.params.id).execute();
    return reply.code(204).send();
  });
};
