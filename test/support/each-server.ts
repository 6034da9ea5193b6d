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

/**
 * As eachAdminServer (started with `first`), with an agent named `agentName` too, and that agent's
 * API. Returns `restart`, for the test that needs the server started otherwise: it closes this one
 * and hands over another started with `opts` (its admin, the agent made again), closed after the
 * test in its place.
 */
export function eachAdminAndAgentServer(
  databaseUrl: () => string | undefined,
  agentName: string,
  use: (server: TestServer, admin: Api, agent: Api) => void,
  first: Omit<TestServerOptions, 'databaseUrl'> = {},
): (opts?: Omit<TestServerOptions, 'databaseUrl'>) => Promise<void> {
  let server: TestServer | undefined;
  const start = async (opts: Omit<TestServerOptions, 'databaseUrl'> = {}) => {
    server = await startTestServer({ ...opts, databaseUrl: databaseUrl() });
    use(server, server.api(server.adminToken), server.api((await server.createUser('agent', { name: agentName })).token));
  };
  beforeEach(() => start(first));
  afterEach(async () => { await server?.close(); });
  return async (opts) => {
    await server?.close();
    server = undefined;
    await start(opts);
  };
}
