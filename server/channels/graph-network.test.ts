import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFetchFailure } from './graph-network';

// Real sockets on loopback, read through fetch as graph.ts reads them: which failures prove the
// request never reached the other side.

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
const listen = async (onSocket: (s: net.Socket) => void) => {
  const server = net.createServer((s) => { sockets.add(s); onSocket(s); });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
};
let closedPort = 0;
let plainPort = 0;
let takesThenDrops = 0;
let takesAndHolds = 0;
beforeAll(async () => {
  closedPort = await listen(() => {});
  await new Promise<void>((r) => servers.pop()!.close(() => r()));
  plainPort = await listen((s) => s.end('HTTP/1.1 200 OK\r\n\r\n'));
  takesThenDrops = await listen((s) => s.once('data', () => s.destroy()));
  takesAndHolds = await listen((s) => s.resume());
});
afterAll(async () => { for (const s of sockets) s.destroy(); for (const s of servers) await new Promise((r) => s.close(r)); });

const failure = async (url: () => string, timeoutMs = 5_000) => {
  const err = await fetch(url(), { method: 'POST', body: '{}', signal: AbortSignal.timeout(timeoutMs) }).then(() => null, (e: unknown) => e);
  return describeFetchFailure(err, timeoutMs);
};

describe('a failed Graph request: sent or not', () => {
  it.each([
    ['connection refused (nothing listens)', () => `http://127.0.0.1:${closedPort}/v21.0/1/messages`, /^Graph API unreachable \(ECONNREFUSED\): the request was not sent$/],
    ['a name that does not resolve', () => 'http://graph.companion-test.invalid/v21.0/1/messages', /^Graph API unreachable \((ENOTFOUND|EAI_AGAIN)\): the request was not sent$/],
    ['a TLS handshake that fails', () => `https://127.0.0.1:${plainPort}/v21.0/1/messages`, /^Graph API unreachable \(ERR_SSL_[A-Z_]+\): the request was not sent$/],
  ])('%s: never sent', async (_name, url, message) => {
    expect(await failure(url)).toEqual({ message: expect.stringMatching(message), neverSent: true });
  });

  it.each([
    ['the connection dropped after the request was written', () => `http://127.0.0.1:${takesThenDrops}/v21.0/1/messages`, 5_000, /^Graph API connection lost \(UND_ERR_SOCKET\): the request may have reached Meta$/],
    ['no answer within the timeout', () => `http://127.0.0.1:${takesAndHolds}/v21.0/1/messages`, 300, /^Graph API did not answer within 300 ms: the request had been sent, so Meta may have it$/],
  ])('%s: Meta may have it', async (_name, url, timeoutMs, message) => {
    expect(await failure(url, timeoutMs)).toEqual({ message: expect.stringMatching(message), neverSent: false });
  });
});
