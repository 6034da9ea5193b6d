import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleChatwootWebhook } from '../../connectors/chatwoot/webhook';
import { HttpError } from '../../http-error';
import { noteErrorCode } from '../../http/request-log';
import { webhookBodyParser, type WebhookBody } from '../../http/webhook-body';
import { FixedWindowLimiter, rateLimitHeaders, tooManyRequests } from '../../webhooks/rate-window';

/**
 * POST /chatwoot/webhook/:token — Chatwoot's account webhook. Like /hooks it lives in its own
 * context (no browser or user-auth hooks); the unguessable URL, and the signature when the account
 * has a secret, authenticate it. Chatwoot does not retry (FACTS §1), so anything missed here is
 * repaired by the periodic reconcile.
 */
export const chatwootWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  // Per URL, per minute, as /hooks (WEBHOOK_RATE_LIMIT_PER_MINUTE): a leaked URL cannot flood the mirror.
  const limiter = new FixedWindowLimiter(app.services.config.webhookRateLimitPerMinute, 60_000);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json$/, { parseAs: 'string' }, webhookBodyParser({ boundedDepth: true }));

  app.post('/chatwoot/webhook/:token', {
    helmet: false,
    // Request lines at debug, as /hooks (http/request-log.ts): each delivery is recorded already.
    config: { access: { public: true }, rateLimit: false, requestLog: 'debug' },
    onSend: noteErrorCode,
    onRequest: (req, reply, done) => {
      const hit = limiter.hit((req.params as { token?: string }).token ?? req.ip);
      if (hit.exceeded) return done(tooManyRequests(hit));
      reply.headers(rateLimitHeaders(hit));
      done();
    },
    schema: {
      tags: ['chatwoot'], summary: 'Chatwoot account webhook (contacts, conversations, labels, attributes, incoming messages)',
      params: z.object({ token: z.string().max(200) }),
      response: { 200: z.object({ event: z.string(), handled: z.boolean(), duplicate: z.boolean(), note: z.string().optional() }) },
    },
  }, async (req) => {
    const payload = req.body as WebhookBody | undefined;
    if (!payload) throw new HttpError(415, 'unsupported_media_type', 'Send a JSON body with "Content-Type: application/json"');
    return handleChatwootWebhook(req.server.services, { token: req.params.token, rawBody: payload.raw, body: payload.json, headers: req.headers });
  });
};
