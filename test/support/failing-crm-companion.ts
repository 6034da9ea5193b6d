import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { freePort, killHard, spawnServer, type ServerProcess } from './process';
import { callOk } from './process-api';

export interface FailingCrmCompanion {
  server: ServerProcess;
  crm: HttpServer;
  /** Ava Agent, who launches the shortcut. */
  agent: { token: string };
  /** The published shortcut "Sync to CRM". */
  workflowId: string;
  /** Stops the server and the CRM and removes the data folder. */
  close: () => Promise<void>;
}

/**
 * A companion server process (a fresh data folder in which `admin` is the admin token) with Ava
 * Agent and a published shortcut "Sync to CRM" whose one step calls a loopback CRM that refuses it
 * (403, not retried): every run of it fails, to be run again. `dirPrefix` names the data folder.
 */
export async function startFailingCrmCompanion(admin: string, dirPrefix: string): Promise<FailingCrmCompanion> {
  const crm = await startHttpServer((_req, res) => { res.statusCode = 403; res.end('{"error":"not allowed"}'); });
  const dataDir = await mkdtemp(path.join(tmpdir(), dirPrefix));
  let server: ServerProcess | undefined;
  const close = async () => {
    if (server) await killHard(server);
    await crm.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    server = await spawnServer({ DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: admin, COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' }, await freePort());
    const call = (method: string, p: string, body?: unknown) => callOk(server!, admin, method, p, body);
    const agent = await call('POST', '/users', { name: 'Ava Agent', email: 'ava@example.com', role: 'agent' });
    const workflowId = (await call('POST', '/workflows', {
      name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync to CRM' }, status: 'published',
      steps: [{ id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm` } }],
    })).id as string;
    return { server, crm, agent, workflowId, close };
  } catch (err) {
    await close();
    throw err;
  }
}
