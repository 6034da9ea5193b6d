import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../../http-error';
import { verifyMetaSignature } from '../../signing/standard-webhooks';
import { inboundMessages } from '../../webhooks/meta-payloads';
import { ingestInbound } from '../../webhooks/meta-ingest';

/** Meta's webhook: verification handshake and WhatsApp Cloud API / Messenger deliveries. */
export const metaRoutes: FastifyPluginAsyncZod = async (app) => {
  const { config } = app.services;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    try {
      done(null, { raw: body.toString(), json: JSON.parse(body.toString()) as unknown });
    } catch {
      done(new HttpError(400, 'malformed_json', 'The body is not valid JSON'), undefined);
    }
  });

  app.get('/meta/webhook', {
    config: { access: { public: true } },
    schema: {
      tags: ['meta'], summary: 'Meta webhook verification (hub.challenge)',
      querystring: z.object({ 'hub.mode': z.string().max(50).optional(), 'hub.verify_token': z.string().max(500).optional(), 'hub.challenge': z.string().max(500).optional() }),
    },
  }, async (req, reply) => {
    const q = req.query;
    if (!config.metaVerifyToken) throw new HttpError(403, 'not_configured', 'Set META_VERIFY_TOKEN to enable the Meta webhook');
    if (q['hub.mode'] !== 'subscribe' || q['hub.verify_token'] !== config.metaVerifyToken || !q['hub.challenge']) {
      throw new HttpError(403, 'forbidden', 'The verify token does not match');
    }
    return reply.type('text/plain').send(q['hub.challenge']);
  });

  app.post('/meta/webhook', {
    config: { access: { public: true } },
    schema: { tags: ['meta'], summary: 'WhatsApp Cloud API / Messenger webhook deliveries', response: { 200: z.object({ received: z.number(), runIds: z.array(z.string()) }) } },
  }, async (req) => {
    const payload = req.body as { raw: string; json: unknown } | undefined;
    if (!payload) throw new HttpError(415, 'unsupported_media_type', 'Send a JSON body');
    if (!config.metaAppSecret) throw new HttpError(401, 'not_configured', 'Set META_APP_SECRET so deliveries can be verified');
    if (!verifyMetaSignature(config.metaAppSecret, payload.raw, req.headers['x-hub-signature-256'] as string | undefined)) {
      throw new HttpError(401, 'invalid_signature', 'X-Hub-Signature-256 does not match the body');
    }
    const messages = inboundMessages(payload.json);
    const runIds: string[] = [];
    for (const m of messages) runIds.push(...(await ingestInbound(app.services, m)).runIds);
    return { received: messages.length, runIds };
  });
};
