import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Attachment } from '../../../lib/contracts/channels';
import { fetchWhatsAppMedia } from '../../channels/whatsapp-media';
import { HttpError, notFound } from '../../http-error';
import { fromJson } from '../../store/database';

// Said whole for "abc", "-1" or "1.5" alike: zod's own words for "abc" were "got NaN".
const N_HINT = 'Give n as the attachment\'s place in the message\'s `attachments`: a whole number from 0 to 99';
const Params = z.object({
  id: z.string().max(64),
  messageId: z.string().max(64),
  n: z.coerce.number({ error: N_HINT }).int(N_HINT).min(0, N_HINT).max(99, N_HINT).describe('The attachment\'s place in the message\'s `attachments`, from 0'),
});

// What WhatsApp carries (Supported Media Types, https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media):
// served with their type. Anything else Meta might answer goes out as bytes to save, never as
// something the browser would run in this origin (an HTML or SVG "image").
const MEDIA_TYPES = new Set([
  'audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg',
  'text/plain', 'application/pdf', 'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'image/jpeg', 'image/png', 'image/webp', 'video/3gpp', 'video/mp4',
]);
const SHOWN_INLINE = new Set(['image', 'sticker', 'video', 'audio']);

/** `attachment; filename=…` with the name kept whole for browsers that read RFC 6266's `filename*`. */
const disposition = (how: 'inline' | 'attachment', name: string) =>
  `${how}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * A message's WhatsApp media, fetched from Meta with the channel's token (the inbox cannot: the
 * token stays on the server) and streamed as Meta serves it. Media with an address (Messenger,
 * Chatwoot, a workflow's link) is opened there, not here.
 */
export const attachmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  const { db } = services;

  app.get('/conversations/:id/messages/:messageId/attachments/:n', {
    config: { access: { role: 'agent', scope: 'conversations.read' } },
    schema: {
      tags: ['conversations'],
      summary: 'The file of a WhatsApp message\'s media (image, video, audio, document, sticker), fetched from Meta with the channel\'s token',
      params: Params,
      // Documents the file (/docs/json); bytes are sent as they are, never serialized.
      response: { 200: { description: 'The file, with the content type Meta gave it (application/octet-stream when not a known media type)', content: { 'application/octet-stream': { schema: z.any().describe('The file\'s bytes') } } } },
    },
  }, async (req, reply) => {
    const { id, messageId, n } = req.params;
    const row = await db.selectFrom('messages').select(['attachments', 'connection_id']).where('id', '=', messageId).where('conversation_id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`Message ${messageId} in conversation ${id}`);
    const attachment = fromJson<Attachment[]>(row.attachments ?? null, [])[n];
    if (!attachment) throw notFound(`Attachment ${n} of message ${messageId}`);
    if (!attachment.mediaId) {
      throw new HttpError(404, 'not_found', attachment.url
        ? `Attachment ${n} of message ${messageId} is not WhatsApp media: open its url`
        : `Attachment ${n} of message ${messageId} has no media to fetch`);
    }
    const connection = row.connection_id ? await db.selectFrom('connections').selectAll().where('id', '=', row.connection_id).executeTakeFirst() : undefined;
    if (connection?.kind !== 'whatsapp') {
      throw new HttpError(409, 'channel_gone', 'The WhatsApp channel this media came through is no longer connected: Meta gives its media only with that channel\'s token');
    }
    const media = await fetchWhatsAppMedia(services, connection, attachment.mediaId);
    const type = media.contentType.split(';')[0]!.trim().toLowerCase();
    const known = MEDIA_TYPES.has(type);
    const name = attachment.filename ?? `whatsapp-${attachment.type}-${messageId}`;
    reply.header('content-type', known ? media.contentType : 'application/octet-stream')
      .header('content-disposition', disposition(known && SHOWN_INLINE.has(attachment.type) ? 'inline' : 'attachment', name))
      // Opened on its own, it runs nothing in this origin.
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=3600');
    if (media.length !== null) reply.header('content-length', String(media.length));
    return reply.send(media.body);
  });
};
