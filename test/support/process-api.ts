import { expect } from 'vitest';
import type { ServerProcess } from './process';

/**
 * `method p` on the API of a companion running as a process (support/process.ts), as `token`:
 * its JSON body, once it answered 2xx (else the test fails naming the body).
 */
export async function callOk(server: ServerProcess, token: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`${server.url}/api/v1${p}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBeLessThan(300);
  return json;
}
