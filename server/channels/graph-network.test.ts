import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRED_LOOPBACK_TLS, LOOPBACK_TLS, trustCertificates } from '../../test/support/loopback-tls';
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
let selfSigned = 0;
let expired = 0;
let resetsInHandshake = 0;
let corruptsAfterRequest = 0;
/** What the corrupting server read before it answered with a broken record: the request had arrived. */
const requestsRead: string[] = [];
const answers = (s: tls.TLSSocket) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
beforeAll(async () => {
  closedPort = await listen(() => {});
  await new Promise<void>((r) => servers.pop()!.close(() => r()));
  plainPort = await listen((s) => s.end('HTTP/1.1 200 OK\r\n\r\n'));
  takesThenDrops = await listen((s) => s.once('data', () => s.destroy()));
  takesAndHolds = await listen((s) => s.resume());
  selfSigned = await listen((s) => answers(new tls.TLSSocket(s, { isServer: true, ...LOOPBACK_TLS })));
  expired = await listen((s) => answers(new tls.TLSSocket(s, { isServer: true, ...EXPIRED_LOOPBACK_TLS })));
  resetsInHandshake = await listen((s) => s.resetAndDestroy());
  // A TLS server that reads the request, then sends a record its key did not seal (a corrupted
  // byte on the way, a middlebox): the client's TLS layer fails after the request was written.
  corruptsAfterRequest = await listen((raw) => {
    const t = new tls.TLSSocket(raw, { isServer: true, ...LOOPBACK_TLS });
    t.on('error', () => {});
    t.once('data', (d: Buffer) => { requestsRead.push(d.toString()); raw.write(Buffer.concat([Buffer.from([0x17, 0x03, 0x03, 0x00, 0x40]), Buffer.alloc(0x40, 7)])); });
  });
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

  // Node refuses a certificate when the handshake ends, before it hands the connection over.
  it.each([
    ['a self-signed certificate nobody trusts', () => `https://127.0.0.1:${selfSigned}/v21.0/1/messages`, false, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['a trusted certificate for another name', () => `https://localhost:${selfSigned}/v21.0/1/messages`, true, 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['an expired certificate', () => `https://127.0.0.1:${expired}/v21.0/1/messages`, false, 'CERT_HAS_EXPIRED'],
  ])('%s: never sent', async (_name, url, trusted, code) => {
    const untrust = trusted ? trustCertificates(LOOPBACK_TLS.cert) : () => {};
    try {
      expect(await failure(url)).toEqual({ message: `Graph API unreachable (${code}): the request was not sent`, neverSent: true });
    } finally {
      untrust();
    }
  });

  it('a connection reset during the TLS handshake: never sent (undici reports it as a connect error)', async () => {
    expect(await failure(() => `https://127.0.0.1:${resetsInHandshake}/v21.0/1/messages`)).toEqual({ message: 'Graph API unreachable (ECONNRESET): the request was not sent', neverSent: true });
  });

  // OpenSSL's ERR_SSL_* codes say what broke, not when: on a live connection, after the request was
  // written, a broken record fails with one too. Read from a TLS client as fetch would hand it over
  // (undici keeps the socket's error as the cause); it may have reached Meta.
  it.each([
    ['TLS 1.3', 'TLSv1.3', 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC'],
    ['TLS 1.2', 'TLSv1.2', 'ERR_SSL_CIPHER_OPERATION_FAILED'],
  ] as const)('a broken record after the request was written (%s): Meta may have it', async (_name, maxVersion, code) => {
    const read = requestsRead.length;
    const cause = await new Promise<Error>((resolve, reject) => {
      const socket = tls.connect({ port: corruptsAfterRequest, host: '127.0.0.1', ca: LOOPBACK_TLS.cert, maxVersion }, () => {
        socket.write('POST /v21.0/1/messages HTTP/1.1\r\nhost: graph.facebook.com\r\ncontent-length: 2\r\n\r\n{}');
      });
      socket.on('error', resolve);
      socket.on('end', () => reject(new Error('the connection ended without an error')));
    });
    expect(requestsRead.slice(read)).toEqual([expect.stringMatching(/^POST \/v21\.0\/1\/messages HTTP\/1\.1/)]);
    expect((cause as Error & { code?: string }).code).toBe(code);
    expect(describeFetchFailure(new TypeError('fetch failed', { cause }), 5_000))
      .toEqual({ message: `Graph API connection lost (${code}): the request may have reached Meta`, neverSent: false });
  });

  it.each([
    ['the connection dropped after the request was written', () => `http://127.0.0.1:${takesThenDrops}/v21.0/1/messages`, 5_000, /^Graph API connection lost \(UND_ERR_SOCKET\): the request may have reached Meta$/],
    ['no answer within the timeout', () => `http://127.0.0.1:${takesAndHolds}/v21.0/1/messages`, 300, /^Graph API did not answer within 300 ms: the request had been sent, so Meta may have it$/],
  ])('%s: Meta may have it', async (_name, url, timeoutMs, message) => {
    expect(await failure(url, timeoutMs)).toEqual({ message: expect.stringMatching(message), neverSent: false });
  });
});
