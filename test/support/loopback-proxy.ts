import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The stand-ins for an older companion release: a loopback server that answers some requests
// itself and sends every other one through to the real server.

/** Sends `req` on to `upstream` unchanged (headers, body, the event stream too) and its answer back. */
export function forwardTo(upstream: URL, req: http.IncomingMessage, res: http.ServerResponse) {
  const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  forward.on('error', () => res.destroy());
  req.pipe(forward);
}

/** `server` listening on a free loopback port: its base URL, and how to close it with its open connections (the event stream's). */
export async function listenOnLoopback(server: http.Server) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
