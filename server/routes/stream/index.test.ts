import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, expect, it } from 'vitest';
import { LiveBus } from '../../events/live-bus';
import type { Services } from '../../services';
import { openSse } from '../../../test/support/sse';
import { sseFrame, streamRoutes } from './index';

// The stream alone, without auth or a database: heartbeats and clean-up.
let close: (() => Promise<void>) | undefined;
afterEach(async () => { await close?.(); close = undefined; });

async function start(heartbeatMs: number) {
  const app = Fastify({ logger: false });
  // As in the app: route schemas are zod (the stream's documents its content type).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const live = new LiveBus();
  app.decorate('services', { live } as unknown as Services);
  await app.register(streamRoutes, { heartbeatMs });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  close = () => app.close();
  return { url: `${url}/events/stream`, live };
}

const listeners = (live: LiveBus) => live['emitter'].listenerCount('message');

it('writes each live message as an SSE frame, sends heartbeats, and unsubscribes on disconnect', async () => {
  const { url, live } = await start(30);
  const sse = await openSse(url);
  await sse.waitFor(/: connected/);
  expect(listeners(live)).toBe(1);
  live.publish({ type: 'contact.changed', contactId: 'con_1' });
  expect(await sse.next('contact.changed')).toEqual({ type: 'contact.changed', contactId: 'con_1' });
  await sse.waitFor(/: heartbeat\n\n/, 1000);
  sse.close();
  await expect.poll(() => listeners(live)).toBe(0);
});

it('frames a message as event + data', () => {
  expect(sseFrame({ type: 'definitions.changed', version: 'v1' })).toBe('event: definitions.changed\ndata: {"type":"definitions.changed","version":"v1"}\n\n');
});
