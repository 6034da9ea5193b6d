import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Channel, ChannelList, ConnectChannelBody, UpdateChannelBody, WhatsAppTemplateList } from '../../../lib/contracts/channels';
import { connectChannel, deleteChannel, listChannels, updateChannel } from '../../channels/connections';
import { listWhatsAppTemplates } from '../../channels/whatsapp-templates';
import { NoContent } from '../../http/openapi';
import { storedTextMasker, withShownLastError } from '../../secrets/stored-texts';

const Params = z.object({ id: z.string().max(64) });

/** WhatsApp numbers and Facebook Pages the companion sends and receives through (admin). */
export const channelRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  const admin = { access: { role: 'admin' as const } };

  app.get('/channels', { config: admin, schema: { tags: ['channels'], response: { 200: ChannelList } } },
    async () => {
      // A last error stored before Meta's refusals were masked (graph-secrets.ts) may quote the token.
      const [channels, show] = await Promise.all([listChannels(services.db), storedTextMasker(services.db, services.vault)]);
      return { channels: channels.map((c) => withShownLastError(c, show)) };
    });

  app.post('/channels', {
    config: admin,
    schema: { tags: ['channels'], summary: 'Connect a WhatsApp number (verified with Meta: the number, and that its Business Account holds it) or a Facebook Page', body: ConnectChannelBody, response: { 201: Channel } },
  }, async (req, reply) => reply.code(201).send(await connectChannel(services, req.body)));

  app.patch('/channels/:id', {
    config: admin,
    schema: { tags: ['channels'], summary: 'Rename a channel, replace its access token or correct its WhatsApp Business Account id (checked with Meta); its conversations stay attached', params: Params, body: UpdateChannelBody, response: { 200: Channel } },
  }, async (req) => updateChannel(services, req.params.id, req.body));

  app.get('/channels/:id/whatsapp-templates', {
    config: admin,
    schema: { tags: ['channels'], summary: 'The message templates of a WhatsApp channel\'s Business Account, read from Meta (for the Send message step)', params: Params, response: { 200: WhatsAppTemplateList } },
  }, async (req) => ({ templates: await listWhatsAppTemplates(services, req.params.id) }));

  app.delete('/channels/:id', { config: admin, schema: { tags: ['channels'], params: Params, response: { 204: NoContent } } }, async (req, reply) => {
    await deleteChannel(services.db, req.params.id);
    return reply.code(204).send();
  });
};
