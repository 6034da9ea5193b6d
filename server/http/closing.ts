import type { FastifyInstance } from 'fastify';
import net from 'node:net';

/**
 * Requests that still arrive while the server closes (SIGTERM, a deploy): requests pipelined or
 * sent on a kept-alive connection until its in-flight request ends. Fastify's own 503 had its own
 * body and no Retry-After; this one is the error shape every answer has, with `Retry-After: 1`
 * so nginx (proxy_next_upstream) and webhook senders try again, reaching the next instance.
 * Needs `return503OnClosing: false` (server.ts), else Fastify answers before any hook
 * (https://fastify.dev/docs/latest/Reference/Server/#return503onclosing).
 * An answer to a request taken before the close stays as it was: a client may have written its
 * next request on that connection already (pipelined, or just sent), and that one gets this 503
 * with `Connection: close` rather than a connection closed under it.
 */
export function answerWhileClosing(fastify: FastifyInstance): { begin(): void } {
  let closing = false;
  fastify.addHook('preClose', (done) => { closing = true; done(); });
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.code(503).headers({ 'retry-after': '1', connection: 'close' })
      .send({ error: { code: 'shutting_down', message: 'The server is shutting down; try again in a moment' } });
  });
  return { begin: () => { closing = true; } };
}

/**
 * The first part of a graceful shutdown (main.ts): no new connection is taken, and the open ones
 * get `graceMs` to be used and closed before they are cut. A kept-alive connection that is idle
 * now may be carrying a client's next request already; cut at once, as `server.close()` does
 * (Node ≥ 19 closes idle connections: https://nodejs.org/api/http.html#serverclosecallback, and
 * Fastify's `forceCloseConnections: 'idle'`: https://fastify.dev/docs/latest/Reference/Server/#forcecloseconnections),
 * that request is reset ("other side closed") instead of answered. Kept open, it is answered 503
 * with `Connection: close` (answerWhileClosing) and the client closes it. Resolves once every
 * connection is closed, or after `graceMs`; fastify.close() then cuts those still idle.
 */
export function drainConnections(server: net.Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, graceMs);
    // net.Server#close stops listening and leaves open connections alone; its callback runs once
    // they have all closed (https://nodejs.org/api/net.html#serverclosecallback). http.Server#close
    // would cut the idle ones first.
    net.Server.prototype.close.call(server, () => { clearTimeout(timer); resolve(); });
  });
}
