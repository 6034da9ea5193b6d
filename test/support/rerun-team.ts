import type http from 'node:http';
import { expect } from 'vitest';
import type { Run } from '../../lib/contracts/runs';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { waitForRun } from './builders';
import { startTestServer, type Api, type TestServer } from './server';

/** The cast of the Run again suites: a companion, the CRM its workflows call, and who acts in it. */
export interface RerunTeam {
  server: TestServer;
  crm: HttpServer;
  admin: Api;
  sam: Api;
  samId: string;
  ava: Api;
  avaId: string;
  close: () => Promise<void>;
}

/**
 * A companion (on `databaseUrl`, else SQLite) allowed to call a loopback CRM answering with
 * `crmAnswers` (how the suite makes its runs fail), with Sam Supervisor, who runs them again, and
 * Ava Agent, who launches them. `admin` is the admin token's API.
 */
export async function startRerunTeam(databaseUrl: string | undefined, crmAnswers: http.RequestListener): Promise<RerunTeam> {
  const crm = await startHttpServer(crmAnswers);
  const server = await startTestServer({ databaseUrl, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  const s = await server.createUser('supervisor', { name: 'Sam Supervisor' });
  const a = await server.createUser('agent', { name: 'Ava Agent' });
  return {
    server, crm, admin: server.api(server.adminToken),
    sam: server.api(s.token), samId: s.user.id, ava: server.api(a.token), avaId: a.user.id,
    close: async () => { await server.close(); await crm.close(); },
  };
}

/** `agent` launches the shortcut `workflowId` in `conversationId`; the run it started, once it failed. */
export async function failedLaunch(server: TestServer, agent: Api, workflowId: string, conversationId: string, values: Record<string, unknown> = {}): Promise<Run> {
  const res = await agent.post(`/shortcuts/${workflowId}/launch`, { conversationId, values });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const run = await waitForRun(server.app.services.db, res.body.runId);
  expect(run.status, JSON.stringify(run.stepLog)).toBe('failed');
  return run;
}
