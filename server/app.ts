import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { rateLimitKey } from './auth/bearer';
import { authPlugin } from './auth/plugin';
import type { Config } from './config';
import { installErrorHandler } from './error-handler';
import { registerFeatures } from './features';
import { declaredText, JSON_WITH_CHARSET } from './http/body-charset';
import { compressedBodyRefusal } from './http/content-encoding';
import { JSON_MEDIA_TYPE } from './http/media-type';
import { refuseUndeclaredQueries } from './http/no-query';
import { addErrorSchema, openapiTransform } from './http/openapi';
import { appRequestSchemas, appRequestWebhooks, APPS_TAG } from './http/openapi-app-requests';
import { hookRoutes } from './routes/hooks/index';
import { chatwootWebhookRoutes } from './routes/chatwoot/webhook';
import type { NotePort } from './engine/executor/executor-thread';
import { createServices, type Services } from './services';
import type { Store } from './store/database';

declare module 'fastify' {
  interface FastifyInstance { services: Services }
}

export interface AppOptions {
  config: Config;
  store: Store;
  /** Start background workers (engine, outbox). Tests of pure HTTP behaviour may turn them off. */
  workers?: boolean;
  /** SQLite with an executor thread: the port between this side and the other (thread-bridge.ts). */
  enginePort?: NotePort;
}

/** The whole companion as a Fastify plugin; main.ts listens, tests use app.inject or a loopback port. */
async function companion(fastify: FastifyInstance, options: AppOptions) {
  const { config, store } = options;
  const closers: (() => Promise<void> | void)[] = [];
  const services = createServices(config, store, fastify.log, (fn) => closers.push(fn));
  fastify.decorate('services', services);
  fastify.addHook('onClose', async () => {
    for (const close of closers.reverse()) await close();
  });

  // JSON only: without this Fastify would accept text/plain bodies as strings.
  fastify.removeContentTypeParser('text/plain');
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  installErrorHandler(fastify);

  addErrorSchema(fastify);
  await fastify.register(swagger, {
    openapi: {
      info: { title: 'Inbox Companion API', version: '1.0.0', description: 'Workflows, shortcuts, webhooks and mini-apps for support inboxes.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: appRequestSchemas() },
      security: [{ bearer: [] }],
      tags: [APPS_TAG],
      // The requests a mini-app's server receives from us (http/openapi-app-requests.ts).
      ...appRequestWebhooks(),
    },
    // The zod schemas, plus each route's documented errors and bodiless 204s (http/openapi.ts).
    transform: openapiTransform,
    // Shared schemas (the error shape) under their own name in components.schemas, not `def-0`.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  // Two sibling contexts. Incoming webhooks come from machines, thousands a second: their
  // context has none of the browser and user plugins' per-request hooks (helmet, CORS, the user
  // rate limit, token auth), which a webhook never needs; it keeps its own limit and answers.
  // Hooks added to a context reach every route under it, whenever registered: hence siblings.
  await fastify.register(hookRoutes);
  await fastify.register(chatwootWebhookRoutes);
  await fastify.register(async (api) => {
    // Fastify's JSON parser serves only `application/json` (with parameters); senders also use
    // `+json` types (`application/vnd.api+json; charset=utf-8`): one parser for all of them.
    // An empty body is no body: Postman, axios & co. send `Content-Type: application/json` on
    // every request, also a DELETE or a publish that takes none; those answer as without the
    // header. A route that needs a body gets the 422 of a missing body (error-handler.ts), as
    // without the header. Any other text is parsed as Fastify does ("__proto__" refused).
    // Webhook routes (/hooks, /meta, /chatwoot) keep their own parsers: an empty delivery stays a 400.
    const json = api.getDefaultJsonParser('error', 'error');
    api.removeContentTypeParser('application/json');
    // A compressed body (Content-Encoding: gzip, deflate, br) is refused saying so (415), not
    // parsed as JSON and called invalid; the webhook routes' parser does the same. A body
    // declaring another charset than UTF-8 (`charset=windows-1252`) is read as bytes and decoded
    // by it (an unknown charset: 415), as the webhook routes do.
    const parseJson = (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
      if (body.length === 0) return done(null, undefined);
      const refusal = req.headers['content-encoding'] === undefined ? undefined : compressedBodyRefusal(req.headers);
      if (refusal) return done(refusal, undefined);
      const text = typeof body === 'string' ? body : declaredText(req.headers['content-type'], body);
      if (typeof text !== 'string') done(text, undefined);
      else json(req, text, done);
    };
    api.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, parseJson);
    api.addContentTypeParser(JSON_WITH_CHARSET, { parseAs: 'buffer' }, parseJson);
    await api.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          // The inbox shows attachments: thumbnails and players from https addresses (Meta's CDN,
          // Chatwoot's storage; never plain http), and WhatsApp media the page fetched through
          // the server into blob: addresses (GET …/attachments/:n needs the agent's credentials).
          imgSrc: ["'self'", 'data:', 'https:', 'blob:'],
          mediaSrc: ["'self'", 'https:', 'blob:'],
          connectSrc: ["'self'"],
        },
      },
    });
    await api.register(cors, {
      // The extension (any id: unpacked ids differ per machine) and the server's own pages.
      origin: (origin, cb) => cb(null, !origin || origin.startsWith('chrome-extension://') || origin === config.publicUrl),
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    });
    await api.register(rateLimit, {
      max: config.rateLimitPerMinute,
      timeWindow: '1 minute',
      keyGenerator: rateLimitKey,
    });
    await api.register(swaggerUi, { routePrefix: '/docs' });
    await api.register(authPlugin);
    refuseUndeclaredQueries(api);

    await registerFeatures(api, services, { workers: options.workers ?? true, ...(options.enginePort ? { enginePort: options.enginePort } : {}) });
  });
}

// fastify-plugin: the decorations (services) and hooks reach the instance that registers it.
export const app = fp(companion, { name: 'companion', fastify: '5.x' });
