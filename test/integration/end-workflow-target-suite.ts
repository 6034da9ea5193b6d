import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationDetail } from '../../lib/contracts/conversations';
import { LaunchResult } from '../../lib/contracts/shortcuts';
import { WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { waitForRun } from './webhooks/support';

/**
 * Registered by end-workflow-target.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A Branch, Jump
 * to (and Date & Time, Ask a Question) may go to "$end": the run completes there. Before, an
 * "if Sofa assign Ava, else Ben" in list order fell through from Ava to "assign Ben" unless the
 * admin added a dummy last step to jump to (respond.io ends a branch where nothing follows).
 */
export function endWorkflowTargetSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ava: string;
  let ben: string;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
    ava = (await server.createUser('agent', { name: 'Ava' })).user.id;
    ben = (await server.createUser('agent', { name: 'Ben' })).user.id;
  });
  afterEach(async () => { await server.close(); });

  const is = (value: string) => ({ logic: 'and', rules: [{ left: '{{$trigger.interest}}', operator: 'is', right: value }] });
  const definition = () => ({
    name: 'Route leads',
    trigger: { type: 'shortcut', name: 'Route lead', icon: '🛋', form: { fields: [{ label: 'Interest', type: 'list', variable: 'interest', required: true, options: ['Sofa', 'Table', 'Chair'] }] } },
    steps: [
      { id: 'route', type: 'branch', config: { branches: [{ name: 'Sofa lead', conditions: is('Sofa'), goTo: 'ava' }, { name: 'Just browsing', conditions: is('Chair'), goTo: '$end' }], elseGoTo: 'ben' } },
      { id: 'ava', type: 'assign_to', config: { userId: ava } },
      { id: 'done', type: 'jump_to', config: { stepId: '$end' } },
      { id: 'ben', type: 'assign_to', config: { userId: ben } },
    ],
  });
  const ok = (res: { status: number; body: unknown }, status: number) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body as Record<string, unknown>;
  };
  async function launch(workflowId: string, interest: string) {
    const contact = ok(await admin.post('/contacts', { firstName: 'Sheena' }), 201);
    const conversationId = ok(await admin.post('/conversations', { contactId: contact.id }), 201).id as string;
    const { runId } = LaunchResult.parse(ok(await admin.post(`/shortcuts/${workflowId}/launch`, { conversationId, values: { interest } }), 202));
    const run = await waitForRun(server, runId);
    const conversation = ConversationDetail.parse(ok(await admin.get(`/conversations/${conversationId}`), 200));
    return { run, assigneeId: conversation.assigneeId };
  }
  const log = (run: { stepLog: { stepId: string; output?: unknown; notes?: string[] }[] }) =>
    run.stepLog.filter((e) => e.stepId !== 'trigger').map((e) => ({ stepId: e.stepId, output: e.output, notes: e.notes }));
  const ended = ['The workflow ended here: this step\'s choice was "End the workflow"'];

  it.each([
    { interest: 'Sofa', assignee: 'ava', steps: ['route', 'ava', 'done'], last: { goTo: '$end' } },
    { interest: 'Chair', assignee: null, steps: ['route'], last: { branch: 'Just browsing', goTo: '$end' } },
    { interest: 'Table', assignee: 'ben', steps: ['route', 'ben'], last: undefined },
  ])('$interest: assigned to $assignee, the run ends where its path says', async ({ interest, assignee, steps, last }) => {
    const wf = ok(await admin.post('/workflows', definition()), 201);
    ok(await admin.post(`/workflows/${wf.id}/publish`), 200);
    const { run, assigneeId } = await launch(wf.id as string, interest);
    expect(run.error).toBeNull();
    expect(run.status).toBe('completed');
    expect(assigneeId).toBe(assignee === 'ava' ? ava : assignee === 'ben' ? ben : null);
    const entries = log(run);
    expect(entries.map((e) => e.stepId)).toEqual(steps);
    // The step log says the run ended at that step's choice (none on the path that just runs out).
    if (last) expect(entries.at(-1)).toMatchObject({ output: last, notes: ended });
    else expect(entries.at(-1)!.notes ?? []).not.toContain(ended[0]);
  });

  it('"$end" goes through export and import unchanged, and is refused as a step\'s own id', async () => {
    const wf = ok(await admin.post('/workflows', definition()), 201);
    const file = ok(await admin.get(`/workflows/export?ids=${wf.id}`), 200);
    const imported = WorkflowImportResult.parse(ok(await admin.post('/workflows/import', { file }), 201));
    const copy = ok(await admin.get(`/workflows/${imported.created[0]!.id}`), 200) as { steps: { config: Record<string, unknown> }[] };
    expect(copy.steps[0]!.config).toMatchObject({ branches: [{ goTo: 'ava' }, { goTo: '$end' }], elseGoTo: 'ben' });
    expect(copy.steps[2]!.config).toEqual({ stepId: '$end' });
    // The copy passes the publish checks: "$end" needs no step.
    ok(await admin.post(`/workflows/${imported.created[0]!.id}/publish`), 200);

    const named = definition();
    named.steps[3] = { ...named.steps[3]!, id: '$end' };
    const refused = await admin.post('/workflows', named);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('A step id uses letters, digits, _ and - only');
  });
}
