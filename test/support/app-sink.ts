import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestServer } from './server';

export interface AppSink {
  /** http://127.0.0.1:<port>; the companion needs COMPANION_ALLOW_PRIVATE_URLS=127.0.0.1 to reach it. */
  url: string;
  /** `subscribeUrl` and `unsubscribeUrl` for a manifest. */
  urls: { subscribeUrl: string; unsubscribeUrl: string };
  received: { path: string; body: any }[];
  close(): Promise<void>;
}

/**
 * A mini-app's server that takes every request (200) and keeps what it got: for tests that need
 * an app installed (its key arrives only in the subscribe request), not the app's behaviour.
 * With `closeWith`, it closes when that companion does.
 */
export async function startAppSink(closeWith?: TestServer): Promise<AppSink> {
  const received: AppSink['received'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try { body = JSON.parse(text); } catch { /* keep the text */ }
      received.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  closeWith?.app.server.once('close', () => void close());
  return { url, urls: { subscribeUrl: `${url}/subscribe`, unsubscribeUrl: `${url}/unsubscribe` }, received, close };
}

/** The API key the sink received in the last subscribe request. */
export const lastKey = (sink: AppSink) => [...sink.received].reverse().find((r) => r.path === '/subscribe')?.body.apiKey as string;
