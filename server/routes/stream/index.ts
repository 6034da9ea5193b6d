import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { LiveMessage } from '../../../lib/contracts/events';

export const HEARTBEAT_MS = 15_000;

/** One SSE frame: the event name is the message type, the data its JSON. */
export const sseFrame = (message: LiveMessage) => `event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`;

/**
 * Live updates for the extension and the inbox page (DESIGN §8): every LiveMessage as a
 * server-sent event. EventSource cannot send headers, so `?token=` is accepted (auth plugin).
 */
export const streamRoutes: FastifyPluginAsync<{ heartbeatMs?: number }> = async (app, opts) => {
  const open = new Set<ServerResponse>();
  // A stream never ends by itself: without this, closing the server would wait for every client.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get('/events/stream', {
    config: { access: { role: 'agent', queryToken: true } },
    schema: { tags: ['live'] },
  }, async (req, reply) => {
    const origin = req.headers.origin;
    const cors: Record<string, string> = origin?.startsWith('chrome-extension://')
      ? { 'access-control-allow-origin': origin, vary: 'Origin' }
      : {};
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...headersOf(reply.getHeaders()),
      ...cors,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    open.add(res);
    const unsubscribe = app.services.live.subscribe((message) => res.write(sseFrame(message)));
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), opts.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
    const cleanUp = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    };
    req.raw.on('close', cleanUp);
    res.on('close', cleanUp);
    res.on('error', cleanUp);
  });
};

/** Headers other plugins set on the reply (CORS, helmet): a hijacked reply must send them itself. */
function headersOf(headers: Record<string, number | string | string[] | undefined>): Record<string, number | string | string[]> {
  const out: Record<string, number | string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = v;
  return out;
}
