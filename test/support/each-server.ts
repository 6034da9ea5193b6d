import { afterEach, beforeEach } from 'vitest';
import { startTestServer, type Api, type TestServer, type TestServerOptions } from './server';

/**
 * For each test of the calling block: a fresh server (on `databaseUrl()` when it gives one, else
 * SQLite) and its admin's API, handed to `use`, closed after. The suites that run on both stores
 * take it so as to say only what differs.
 */
export function eachAdminServer(
  databaseUrl: () => string | undefined,
  use: (server: TestServer, admin: Api) => void,
  opts: Omit<TestServerOptions, 'databaseUrl'> = {},
): void {
  let server: TestServer | undefined;
  beforeEach(async () => {
    server = await startTestServer({ ...opts, databaseUrl: databaseUrl() });
    use(server, server.api(server.adminToken));
  });
  afterEach(async () => { await server?.close(); });
}
