import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChatwootAccount, ChatwootAccountList, ChatwootConnectBody, ChatwootDisconnected, ChatwootInboxList, ChatwootOriginList, ChatwootPatchBody, ChatwootResolveQuery,
  ChatwootResolveResult, ChatwootSyncResult,
} from '../../../lib/contracts/chatwoot';
import { disconnectAccount } from '../../connectors/chatwoot/disconnect';
import { listInboxes } from '../../connectors/chatwoot/inboxes';
import { ChatwootApiError } from '../../connectors/chatwoot/api';
import { reconcileAccount } from '../../connectors/chatwoot/reconcile';
import { resolveChatwootConversation } from '../../connectors/chatwoot/resolve';
import { HttpError } from '../../http-error';
import { chatwootTeamRoutes } from './teams';
import { connectAccount, getConnection, listConnections, toAccount, updateAccount } from '../../connectors/chatwoot/connections';

const Params = z.object({ id: z.string().max(64) });

/** /api/v1/chatwoot: connect Chatwoot accounts (admin). */
export const chatwootRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;

  app.post('/chatwoot/accounts', {
    config: { access: { role: 'admin' } },
    schema: {
      tags: ['chatwoot'],
      summary: 'Connect a Chatwoot account with an administrator\'s token (checked with one API call); answers the webhook URL to add in Chatwoot. '
        + 'The same address and account id connected before re-links what was mirrored then (`relinked`)',
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
    schema: { tags: ['chatwoot'], summary: 'Change the address (where the same Chatwoot answers now, checked as a connect; another host or path only if it accepts the connected token), '
        + 'replace the token (checked again) or the webhook signing secret', params: Params, body: ChatwootPatchBody, response: { 200: ChatwootAccount } },
  }, async (req) => updateAccount(services, req.params.id, req.body));

  app.post('/chatwoot/accounts/:id/sync', {
    config: { access: { role: 'admin' }, errors: {
      409: '`chatwoot_token_forgotten`: the account\'s API access token was forgotten with a lost secret key (npm run forget-secrets): save a new one (PATCH with `apiAccessToken`)',
      502: '`chatwoot_sync_failed`: Chatwoot refused or did not answer',
    } },
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

  app.get('/chatwoot/inboxes', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['chatwoot'], summary: 'The inboxes of the connected Chatwoot accounts, read from Chatwoot now (trigger rules on an inbox choose among them)', response: { 200: ChatwootInboxList } },
  }, async () => {
    const list: ChatwootInboxList = { inboxes: [], errors: [] };
    for (const c of await listConnections(services, services.db)) {
      try {
        for (const i of await listInboxes(services, c)) list.inboxes.push({ connectionId: c.row.id, account: c.row.name, id: i.id, name: i.name, channel: i.channel });
      } catch (err) {
        list.errors.push({ connectionId: c.row.id, account: c.row.name, message: (err as Error).message });
      }
    }
    return list;
  });

  await app.register(chatwootTeamRoutes);

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
    schema: {
      tags: ['chatwoot'], params: Params, response: { 200: ChatwootDisconnected },
      summary: 'Disconnect: the webhook URL stops working and the token is forgotten; mirrored contacts and conversations stay (open ones are no longer updated). '
        + 'Connecting the same account again picks them up',
    },
  }, async (req) => disconnectAccount(services, req.params.id));
};
