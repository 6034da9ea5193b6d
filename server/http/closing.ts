import type { FastifyInstance } from 'fastify';

/**
 * Requests that still arrive while the server closes (SIGTERM, a deploy): requests pipelined or
 * sent on a kept-alive connection until its in-flight request ends. Fastify's own 503 had its own
 * body and no Retry-After; this one is the error shape every answer has, with `Retry-After: 1`
 * so nginx (proxy_next_upstream) and webhook senders try again, reaching the next instance.
 * Needs `return503OnClosing: false` (server.ts), else Fastify answers before any hook.
 */
export function answerWhileClosing(fastify: FastifyInstance) {
  let closing = false;
  fastify.addHook('preClose', (done) => { closing = true; done(); });
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.code(503).headers({ 'retry-after': '1', connection: 'close' })
      .send({ error: { code: 'shutting_down', message: 'The server is shutting down; try again in a moment' } });
  });
}
