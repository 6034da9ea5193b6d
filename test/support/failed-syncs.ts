import { expect } from 'vitest';
import { startTestServer, type Api, type TestServer } from './server';
import { startSwitchableCrm, type SwitchableCrm } from './switchable-crm';
import { waitFor } from './wait';

/** The published shortcut "Sync to CRM" with `steps`, as the admin sends it. */
export const syncToCrm = (steps: unknown[]) => ({ name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync to CRM' }, status: 'published', steps });

/** What a supervisor's run history holds in the Run again e2e suites: see startFailedSyncs. */
export interface FailedSyncs {
  server: TestServer;
  crm: SwitchableCrm;
  admin: Api;
  /** Sam Supervisor's token, to connect the options page with. */
  samToken: string;
  workflowId: string;
  /** The runs the agents launched, in order; all failed. */
  launched: string[];
  close(): Promise<void>;
}

/**
 * A companion allowed to call a loopback CRM that refuses (403) until `crm.up`, with `agents` (by
 * name) and Sam Supervisor, and "Sync to CRM" of `steps(crm.url)`, launched for each of `launches`
 * (the agent's index, the contact's first name) in a conversation of its own. Once every one of
 * those runs failed, `whenFailed` sets the scene further (closed with the rest if it throws).
 */
export async function startFailedSyncs(
  steps: (crmUrl: string) => unknown[],
  launches: [agent: number, contact: string][],
  { agents = ['Ava Agent'], whenFailed }: { agents?: string[]; whenFailed?: (world: FailedSyncs) => Promise<void> | void } = {},
): Promise<FailedSyncs> {
  const crm = await startSwitchableCrm(403);
  const server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  const close = async () => { await server.close(); await crm.close(); };
  try {
    const admin = server.api(server.adminToken);
    const agentTokens: string[] = [];
    for (const name of agents) agentTokens.push((await server.createUser('agent', { name })).token);
    const sam = await server.createUser('supervisor', { name: 'Sam Supervisor' });
    const wf = await admin.post('/workflows', syncToCrm(steps(crm.url)));
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const workflowId = wf.body.id as string;
    const launched: string[] = [];
    for (const [agent, firstName] of launches) {
      const contact = (await admin.post('/contacts', { firstName })).body;
      const conversation = (await admin.post('/conversations', { contactId: contact.id })).body;
      const res = await server.api(agentTokens[agent]).post(`/shortcuts/${workflowId}/launch`, { conversationId: conversation.id, values: {} });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      launched.push(res.body.runId);
    }
    await waitFor(`the ${launched.length} runs to fail`, async () => {
      const failed = await admin.get(`/runs?workflowId=${workflowId}&status=failed`);
      return failed.body.runs?.length === launched.length || undefined;
    }, 15_000);
    const world = { server, crm, admin, samToken: sam.token, workflowId, launched, close };
    await whenFailed?.(world);
    return world;
  } catch (err) {
    await close();
    throw err;
  }
}
