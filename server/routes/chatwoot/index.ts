import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChatwootAccount, ChatwootAccountList, ChatwootConnectBody, ChatwootPatchBody } from '../../../lib/contracts/chatwoot';
import { connectAccount, getConnection, listConnections, toAccount, updateAccount } from '../../connectors/chatwoot/connections';

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

  app.delete('/chatwoot/accounts/:id', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['chatwoot'], summary: 'Disconnect: the webhook URL stops working; mirrored contacts and conversations stay', params: Params },
  }, async (req, reply) => {
    await getConnection(services, req.params.id);
    await services.db.deleteFrom('connections').where('id', '=', req.params.id).execute();
    return reply.code(204).send();
  });
};
