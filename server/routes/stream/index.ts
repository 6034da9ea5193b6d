import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { LiveMessage } from '../../../lib/contracts/events';
import { z } from 'zod';
import { DEACTIVATED_MESSAGE } from '../../auth/plugin';
import { runErrorMasker } from './masked-run-error';
import { shownTo } from './shown-to';
import { listQuery } from '../../../lib/contracts/list-query';

// EventSource sends no headers: its token comes in the URL (auth plugin, `access.queryToken`).
const StreamQuery = listQuery({
  token: z.string().max(2000).optional().describe('The bearer token, for clients that cannot send an Authorization header (EventSource)'),
}, 'the event stream');

export const HEARTBEAT_MS = 15_000;

/** One SSE frame: the event name is the message type, the data its JSON. */
export const sseFrame = (message: LiveMessage) => `event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`;

/**
 * Live updates for the extension and the inbox page (DESIGN §8): every LiveMessage as a
 * server-sent event. EventSource cannot send headers, so `?token=` is accepted (auth plugin).
 */
export const streamRoutes: FastifyPluginAsync<{ heartbeatMs?: number }> = async (app, opts) => {
  const open = new Set<ServerResponse>();
  // Runs stored by older releases may quote a credential in the error an event carries (masked-run-error.ts).
  const masked = runErrorMasker(app.services);
  /** Streams signed in as a user, by user id: the token each was opened with. */
  const byUser = new Map<string, Map<ServerResponse, string>>();
  // A stream never ends by itself: without this, closing the server would wait for every client.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
  // A user changed (deactivated, given a new token: published on whichever instance did it, and
  // heard on every one): their streams whose sign-in no longer holds end now, with why, instead
  // of carrying the workspace's live updates to someone cut off until they disconnect.
  const stopWatching = app.services.live.watch('user.changed', (m) => {
    if (m.type !== 'user.changed') return;
    const streams = byUser.get(m.userId);
    if (!streams || streams.size === 0) return;
    void endLapsed(m.userId, new Map(streams)).catch((err) => app.log.warn({ err }, 'could not re-check the event streams of a changed user'));
  });
  app.addHook('onClose', async () => stopWatching());

  const endLapsed = async (userId: string, streams: Map<ServerResponse, string>) => {
    const { db } = app.services;
    const user = await db.selectFrom('users').select('deactivated_at').where('id', '=', userId).executeTakeFirst();
    const tokens = await db.selectFrom('tokens').select(['id', 'revoked_at']).where('id', 'in', [...new Set(streams.values())]).execute();
    for (const [res, tokenId] of streams) {
      const token = tokens.find((t) => t.id === tokenId);
      const reason = !user || user.deactivated_at ? DEACTIVATED_MESSAGE
        : !token || token.revoked_at ? 'This token has been revoked: sign in again with your new token' : undefined;
      if (!reason) continue;
      res.end(sseFrame({ type: 'session.ended', reason }));
    }
  };

  app.get('/events/stream', {
    config: { access: { role: 'agent', queryToken: true } },
    // Hijacked (written by hand): the schema only documents the stream.
    schema: { tags: ['live'], summary: 'Live events (Server-Sent Events)', querystring: StreamQuery, response: { 200: { description: 'An event stream: `event: <type>` and `data: <JSON>` per change', content: { 'text/event-stream': { schema: z.string() } } } } },
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
    const principal = req.principal;
    const signedIn = principal?.kind === 'user' && principal.tokenId ? { userId: principal.user.id, tokenId: principal.tokenId } : undefined;
    if (signedIn) {
      let mine = byUser.get(signedIn.userId);
      if (!mine) byUser.set(signedIn.userId, (mine = new Map()));
      mine.set(res, signedIn.tokenId);
    }
    // One chain per stream: an event waiting on its masking holds back the later ones, in order.
    let sending = Promise.resolve();
    const unsubscribe = app.services.live.subscribe((message) => {
      const first = shownTo(message, principal);
      if (!first) return;
      const needsMask = first.type === 'run.updated' && !!first.error;
      sending = sending.then(async () => {
        const shown = needsMask ? shownTo(await masked(message), principal) : first;
        if (shown && !res.writableEnded) res.write(sseFrame(shown));
      }).catch((err: unknown) => app.log.warn({ err }, 'could not write a live event to a stream'));
    });
    const heartbeat = setInterval(() => { if (!res.writableEnded) res.write(': heartbeat\n\n'); }, opts.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
    const cleanUp = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
      if (signedIn) {
        const mine = byUser.get(signedIn.userId);
        mine?.delete(res);
        if (mine?.size === 0) byUser.delete(signedIn.userId);
      }
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
