import net from 'node:net';
import { pgUrl } from './postgres';

/**
 * A TCP proxy in front of PostgreSQL: `outage(true)` drops every connection through it and refuses
 * new ones (a restart, a failover, a network cut), `outage(false)` lets them through again.
 */
export async function pgProxy() {
  const target = new URL(pgUrl()!);
  let refusing = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (refusing) { client.destroy(); return; }
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      open.add(a);
      a.on('close', () => { open.delete(a); b.destroy(); });
      a.on('error', () => b.destroy());
      a.pipe(b);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url(databaseUrl: string) {
      const via = new URL(databaseUrl);
      via.hostname = '127.0.0.1';
      via.port = String((server.address() as net.AddressInfo).port);
      return via;
    },
    outage(on: boolean) {
      refusing = on;
      if (on) for (const socket of open) socket.destroy();
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
