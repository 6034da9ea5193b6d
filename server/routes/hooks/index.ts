import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../../http-error';
import { JSON_MEDIA_TYPE } from '../../http/media-type';
import { createWebhookIngest } from '../../webhooks/ingest';
import { FixedWindowLimiter, rateLimitHeaders, tooManyRequests } from '../../webhooks/rate-window';

const Ack = z.object({ eventId: z.string(), runIds: z.array(z.string()) });
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
  const limiter = new FixedWindowLimiter(Number(process.env.WEBHOOK_RATE_LIMIT_PER_MINUTE ?? 60_000), 60_000);
  // Keep the raw body: signatures are computed over the exact bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, (_req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    const text = typeof body === 'string' ? body : body.toString();
    try {
      done(null, { raw: text, json: JSON.parse(text) as unknown });
    } catch {
      done(new HttpError(400, 'malformed_json', 'The body is not valid JSON'), undefined);
    }
  });

  app.post('/hooks/:token', {
    // A JSON answer to machines: helmet's browser headers (CSP & co.) protect nothing here.
    helmet: false,
    // Every delivery is an event row already; two info lines per request would cost ~a tenth of it.
    logLevel: 'warn',
    config: {
      access: { public: true },
      rateLimit: false,
    },
    // Where the plugin counted: before the body is read.
    onRequest: (req, reply, done) => {
      const hit = limiter.hit((req.params as { token?: string }).token ?? req.ip);
      if (hit.exceeded) return done(tooManyRequests(hit));
      reply.headers(rateLimitHeaders(hit));
      done();
    },
    schema: {
      tags: ['webhooks'],
      summary: 'Trigger an incoming-webhook workflow',
      params: Params,
      response: { 202: Ack },
    },
    // The ack is built by ingest in exactly the Ack shape: the schema documents it (OpenAPI),
    // re-validating it per request would only cost time.
    serializerCompiler: () => (data) => JSON.stringify(data),
    validatorCompiler: paramsValidator,
  }, async (req, reply) => {
    const payload = req.body as { raw: string; json: unknown } | undefined;
    if (!payload) throw new HttpError(415, 'unsupported_media_type', 'Send a JSON body with "Content-Type: application/json"');
    const result = await ingest({ token: req.params.token, rawBody: payload.raw, body: payload.json, headers: req.headers });
    if (result.duplicate) reply.header('x-duplicate-delivery', 'true');
    return reply.code(202).send(result.ack);
  });
};
