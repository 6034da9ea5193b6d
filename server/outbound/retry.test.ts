import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutboundBlockedError, OutboundCancelledError, OutboundNetworkError, OutboundTimeoutError } from './errors';
import { backoff, parseRetryAfter, withRetries } from './retry';
import { safeFetch } from './safe-fetch';
import { startTestServer, type TestServer } from './test-server';

const policy = { allowList: ['127.0.0.1'] };
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server answering with the given [status, headers] in turn (the last one repeats). */
async function scripted(answers: Array<[number, Record<string, string>?]>) {
  server = await startTestServer((_req, res) => {
    const [status, headers] = answers[Math.min(server!.hits - 1, answers.length - 1)]!;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ status }));
  });
  return server;
}

function fetchFrom(url: string) {
  return () => safeFetch({ method: 'GET', url, timeoutMs: 2000 }, policy);
}

describe('withRetries against a local server', () => {
  it.each([
    { name: '200 at once', answers: [[200]], status: 200, attempts: 1, sleeps: 0 },
    { name: '503 then 200', answers: [[503], [200]], status: 200, attempts: 2, sleeps: 1 },
    { name: '500 three times', answers: [[500]], status: 500, attempts: 3, sleeps: 2 },
    { name: '404 not retried', answers: [[404], [200]], status: 404, attempts: 1, sleeps: 0 },
    { name: '400 not retried', answers: [[400], [200]], status: 400, attempts: 1, sleeps: 0 },
  ] as const)('$name', async ({ answers, status, attempts, sleeps }) => {
    const s = await scripted(answers as unknown as Array<[number]>);
    const sleep = vi.fn(async () => {});
    const result = await withRetries(fetchFrom(s.url), { method: 'GET', sleep, baseDelayMs: 10 });
    expect(result.response.status).toBe(status);
    expect(result.attempts).toBe(attempts);
    expect(s.hits).toBe(attempts);
    expect(sleep).toHaveBeenCalledTimes(sleeps);
  });

  it('waits as long as Retry-After (seconds) says on a 429', async () => {
    const s = await scripted([[429, { 'retry-after': '1' }], [200]]);
    const sleep = vi.fn(async () => {});
    const result = await withRetries(fetchFrom(s.url), { method: 'GET', sleep });
    expect(result).toMatchObject({ attempts: 2, response: { status: 200 } });
    expect(sleep).toHaveBeenCalledExactlyOnceWith(1000);
  });

  it('honours an HTTP-date Retry-After and caps a long one', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const s = await scripted([[503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }], [429, { 'retry-after': '3600' }], [200]]);
    const sleep = vi.fn(async () => {});
    const result = await withRetries(fetchFrom(s.url), { method: 'GET', sleep, now: () => now });
    expect(result.attempts).toBe(3);
    expect(sleep.mock.calls).toEqual([[5000], [30_000]]);
  });

  it('retries network errors and throws the last one with the attempt count', async () => {
    const s = await startTestServer(() => {});
    const url = s.url;
    await s.close();
    const sleep = vi.fn(async () => {});
    const onRetry = vi.fn();
    const err = await withRetries(fetchFrom(url), { method: 'GET', sleep, onRetry }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundNetworkError);
    expect((err as OutboundNetworkError).attempts).toBe(3);
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  it('retries a timeout, then succeeds', async () => {
    server = await startTestServer((_req, res) => {
      if (server!.hits === 1) return; // first request hangs
      res.end('{"ok":true}');
    });
    const url = server.url;
    const result = await withRetries(() => safeFetch({ method: 'GET', url, timeoutMs: 150 }, policy), { method: 'GET', sleep: async () => {} });
    expect(result).toMatchObject({ attempts: 2, response: { json: { ok: true } } });
  });

  it('does not retry a blocked address', async () => {
    const fn = vi.fn(() => safeFetch({ method: 'GET', url: 'http://10.0.0.1/', timeoutMs: 1000 }, { allowList: [] }));
    const err = await withRetries(fn, { method: 'GET', sleep: async () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as OutboundBlockedError).attempts).toBe(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('never makes more than 3 attempts', async () => {
    const s = await scripted([[503]]);
    const result = await withRetries(fetchFrom(s.url), { method: 'GET', attempts: 10, sleep: async () => {} });
    expect(result.attempts).toBe(3);
  });
});

describe('what is sent again, by method (RFC 9110 §9.2.2)', () => {
  it.each([
    { method: 'POST', status: 500, attempts: 1 },
    { method: 'POST', status: 502, attempts: 1 },
    { method: 'POST', status: 504, attempts: 1 },
    { method: 'PATCH', status: 500, attempts: 1 },
    { method: 'POST', status: 503, attempts: 3 },
    { method: 'POST', status: 429, attempts: 3 },
    { method: 'PUT', status: 500, attempts: 3 },
    { method: 'DELETE', status: 502, attempts: 3 },
    { method: 'GET', status: 504, attempts: 3 },
  ])('$method answered $status: $attempts attempt(s)', async ({ method, status, attempts }) => {
    const s = await scripted([[status]]);
    const onStop = vi.fn();
    const result = await withRetries(() => safeFetch({ method, url: s.url, timeoutMs: 2000 }, policy), { method, sleep: async () => {}, onStop });
    expect(result).toMatchObject({ attempts, response: { status } });
    expect(s.hits).toBe(attempts);
    if (attempts === 1) expect(onStop).toHaveBeenCalledWith(expect.objectContaining({ reason: `HTTP ${status}`, why: expect.stringMatching(/not idempotent/) }));
  });

  it('does not send a POST again after a timeout (the server may be working on it)', async () => {
    server = await startTestServer(() => {});
    const url = server.url;
    const err = await withRetries(() => safeFetch({ method: 'POST', url, body: '{}', timeoutMs: 150 }, policy), { method: 'POST', sleep: async () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundTimeoutError);
    expect(server.hits).toBe(1);
  });

  it('sends a POST again when the connection was refused (nothing left this machine)', async () => {
    const s = await startTestServer(() => {});
    const url = s.url;
    await s.close();
    const fn = vi.fn(() => safeFetch({ method: 'POST', url, body: '{}', timeoutMs: 2000 }, policy));
    const err = await withRetries(fn, { method: 'POST', sleep: async () => {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ neverSent: true, attempts: 3 });
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('does not send a POST again when the server dropped the connection after reading it', async () => {
    server = await startTestServer((req) => { req.socket.destroy(); });
    const url = server.url;
    const err = await withRetries(() => safeFetch({ method: 'POST', url, body: '{}', timeoutMs: 2000 }, policy), { method: 'POST', sleep: async () => {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ neverSent: false, attempts: 1 });
    expect(server.hits).toBe(1);
  });
});

describe('the deadline and the cancel', () => {
  it('waits for no attempt that would end past the deadline, and says why', async () => {
    const s = await scripted([[429, { 'retry-after': '5' }], [200]]);
    const sleep = vi.fn(async () => {});
    const onStop = vi.fn();
    const result = await withRetries(fetchFrom(s.url), { method: 'GET', sleep, onStop, deadline: Date.now() + 2000 });
    expect(result).toMatchObject({ attempts: 1, response: { status: 429 } });
    expect(sleep).not.toHaveBeenCalled();
    expect(onStop).toHaveBeenCalledWith(expect.objectContaining({ why: expect.stringMatching(/waiting 5000 ms .* timeout/) }));
  });

  it('starts no attempt once aborted: the wait ends early and the check before it can abort', async () => {
    const s = await scripted([[503]]);
    const controller = new AbortController();
    const beforeRetry = vi.fn(async () => { controller.abort(); });
    const err = await withRetries(fetchFrom(s.url), { method: 'GET', baseDelayMs: 10, signal: controller.signal, beforeRetry }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundCancelledError);
    expect(err).toMatchObject({ beforeAttempt: 2, attempts: 1 });
    expect(s.hits).toBe(1);
  });

  it('aborts the request in flight', async () => {
    server = await startTestServer(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const err = await safeFetch({ method: 'POST', url: server.url, body: '{}', timeoutMs: 5000, signal: controller.signal }, policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundCancelledError);
    expect(err).toMatchObject({ sent: true });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [undefined, undefined],
    ['0', 0],
    ['2', 2000],
    [' 7 ', 7000],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
  ])('%s → %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('backoff', () => {
  it.each([
    [1, 0, 250],
    [1, 0.999, 500],
    [2, 0, 500],
    [3, 0.5, 1500],
    [10, 0, 5000],
    [10, 0.999, 9995],
  ])('attempt %i with random %f waits %i ms', (attempt, r, expected) => {
    expect(backoff(attempt, { baseDelayMs: 500, maxDelayMs: 10_000, random: () => r })).toBe(expected);
  });
});
