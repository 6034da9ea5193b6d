import type { Socket } from 'node:net';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hashToken } from '../../auth/tokens';
import { WebhookAck } from '../../../lib/contracts/webhooks';
import { HttpError } from '../../http-error';
import { JSON_WITH_CHARSET } from '../../http/body-charset';
import { JSON_MEDIA_TYPE } from '../../http/media-type';
import { noteErrorCode } from '../../http/request-log';
import { webhookBodyParser, type WebhookBody } from '../../http/webhook-body';
import { createWebhookIngest } from '../../webhooks/ingest';
import { LiveHookTokens } from '../../webhooks/live-tokens';
import { FixedWindowLimiter, rateLimitHeaders, tooManyRequests } from '../../webhooks/rate-window';
import { Tarpit } from '../../webhooks/tarpit';

// URL tokens are base64url (randomSecret); anything else names no workflow and is not worth a query.
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;
const notPublished = () => new HttpError(404, 'not_found', 'No published webhook workflow has this URL');

const TOKEN_MAX = 200;
const Params = z.object({ token: z.string().max(TOKEN_MAX) });

/**
 * Zod's own validation, with a fast path for the answer it gives a valid token (the same
 * `{ token }`): a parse per delivery cost ~1 µs of the route's budget. Anything else (too
 * long, missing) still goes through zod, so the 422 and its details are zod's.
 */
const paramsValidator = (route: unknown) => {
  // Fastify types a route's compiler over the whole route schema; it is called per part (params).
  const zodValidate = validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);
  return (data: unknown) => {
    const token = (data as { token?: unknown } | null)?.token;
    return typeof token === 'string' && token.length <= TOKEN_MAX ? { value: { token } } : zodValidate(data);
  };
};

/** POST /hooks/:token — no user auth: the unguessable URL is the secret (and the optional signature). */
export const hookRoutes: FastifyPluginAsyncZod = async (app) => {
  const ingest = createWebhookIngest(app.services);
  // Per URL token, per minute: our own counter instead of @fastify/rate-limit's (same headers and 429).
  const limiter = new FixedWindowLimiter(app.services.config.webhookRateLimitPerMinute, 60_000);
  // Deliveries to URLs that name no published workflow, per client address: someone probing
  // or flooding random URLs gets 429s (a published URL still works from that address).
  const unknownByAddress = new FixedWindowLimiter(app.services.config.unknownHookPerMinute, 60_000, 10_000);
  const { db } = app.services;
  const liveTokens = LiveHookTokens.of(app.services, async (token) => {
    const row = await db.selectFrom('workflows').select('status').where('webhook_token_hash', '=', hashToken(token)).executeTakeFirst();
    return row?.status === 'published';
  });
  // `connection: close`: the rest of the body the sender is still pushing is not read on this connection.
  // Past the limit, the 429 is also held back a while (tarpit), its socket unread meanwhile.
  const tarpit = new Tarpit(app.services.config.unknownHookTarpitMs);
  const refuse = (req: { ip: string; raw: { socket: Socket } }, done: (err?: Error) => void) => {
    const hit = unknownByAddress.hit(req.ip);
    const err = hit.exceeded ? tooManyRequests(hit) : notPublished();
    const refusal = new HttpError(err.statusCode, err.code, err.message, undefined, { ...err.headers, connection: 'close' });
    if (hit.exceeded) tarpit.hold(req.raw.socket, () => done(refusal));
    else done(refusal);
  };
  const admit = (token: string, reply: { headers(h: Record<string, string>): unknown }) => {
    const hit = limiter.hit(token);
    if (hit.exceeded) return tooManyRequests(hit);
    reply.headers(rateLimitHeaders(hit));
    return undefined;
  };
  // Keep the raw body: signatures are computed over the exact bytes. A body declaring another
  // charset than UTF-8 (legacy systems: latin1, windows-1252, utf-16) is read as bytes and decoded
  // by it; UTF-8 bodies, nearly all, keep the string parser (JSON_WITH_CHARSET).
  const parseBody = webhookBodyParser({ boundedDepth: false, exactIntegers: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, parseBody);
  app.addContentTypeParser(JSON_WITH_CHARSET, { parseAs: 'buffer' }, parseBody);

  app.post('/hooks/:token', {
    // A JSON answer to machines: helmet's browser headers (CSP & co.) protect nothing here.
    helmet: false,
    config: {
      access: { public: true },
      rateLimit: false,
      // Every delivery is an event row already; two info lines per request would cost ~a tenth of
      // it. At debug (LOG_LEVEL=debug) they are logged, refusals with their code (http/request-log.ts).
      requestLog: 'debug',
    },
    onSend: noteErrorCode,
    // Before the body is read: an unknown or unpublished URL is refused unread, then the
    // per-URL limit counts (where @fastify/rate-limit counted). A known URL is answered from the
    // cache, synchronously.
    onRequest: (req, reply, done) => {
      const token = (req.params as { token?: string }).token ?? '';
      const live = liveTokens.cached(token);
      if (live === true) return done(admit(token, reply));
      if (live === false || !TOKEN.test(token)) return refuse(req, done);
      liveTokens.isLive(token).then((yes) => (yes ? done(admit(token, reply)) : refuse(req, done)), (err: Error) => done(err));
    },
    schema: {
      tags: ['webhooks'],
      summary: 'Trigger an incoming-webhook workflow',
      params: Params,
      response: { 202: WebhookAck },
    },
    // The ack is built by ingest in exactly the WebhookAck shape: the schema documents it (OpenAPI),
    // re-validating it per request would only cost time.
    serializerCompiler: () => (data) => JSON.stringify(data),
    validatorCompiler: paramsValidator,
  }, async (req, reply) => {
    const payload = req.body as WebhookBody | undefined;
    if (!payload) throw new HttpError(415, 'unsupported_media_type', 'Send a JSON body with "Content-Type: application/json"');
    const result = await ingest({ token: req.params.token, rawBody: payload.raw, body: payload.json, headers: req.headers });
    if (result.duplicate) reply.header('x-duplicate-delivery', 'true');
    return reply.code(202).send(result.ack);
  });
};
