import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  /** Requests that reached the handler. */
  hits: number;
  /** TCP connections accepted, handled or not. */
  connections: number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and a random port, for outbound tests. */
export async function startTestServer(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    state.hits++;
    handler(req, res);
  });
  const state: TestServer = {
    url: '',
    port: 0,
    hits: 0,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  return state;
}
