import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Run } from '../../lib/contracts/runs';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow } from './engine-support';

/**
 * A chain of workflows triggering each other stops after 10 hops (the loop guard). Every run of it
 * completes, so the reason must be in a run's log: the step whose change started nothing says why.
 * On SQLite (engine-loop-guard-notes.test.ts) and PostgreSQL (engine-loop-guard-notes.pg.test.ts).
 */
export function loopGuardNotesSuite(databaseUrl: () => string | undefined = () => undefined) {
  let server: TestServer;
  beforeEach(async () => { server = await startTestServer({ databaseUrl: databaseUrl() }); });
  afterEach(async () => { await server.close(); });

  const admin = () => server.api(server.adminToken);

  /** Every run of these workflows once `count` of them have ended, oldest first. */
  async function chain(workflowIds: string[], count: number): Promise<Run[]> {
    return waitFor(`${count} finished runs`, async () => {
      const res = await admin().get('/runs?limit=200');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const runs = (res.body.runs as unknown[]).map((r) => Run.parse(r)).filter((r) => workflowIds.includes(r.workflowId)).reverse();
      return runs.length >= count && runs.every((r) => r.endedAt) ? runs : undefined;
    }, 20_000);
}

  const guard = (workflowId: string) =>
    new RegExp(`^Not started: the loop guard stops chains deeper than 10 workflows triggering each other \\(this change came from a chain of 11\\): ${workflowId} \\(event evt_\\w+\\)$`);

  describe('the loop guard says why in the run log', () => {
    it('a tag ping/pong pair: the 11th run\'s tag step notes that the loop guard started no run', async () => {
      const ping = await createWorkflow(server, {
        name: 'Ping', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['ping'] },
        steps: [{ id: 'unping', type: 'update_contact_tag', config: { action: 'remove', tags: ['ping'] } }, { id: 'pong', type: 'update_contact_tag', config: { action: 'add', tags: ['pong'] } }],
      });
      const pong = await createWorkflow(server, {
        name: 'Pong', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['pong'] },
        steps: [{ id: 'unpong', type: 'update_contact_tag', config: { action: 'remove', tags: ['pong'] } }, { id: 'ping', type: 'update_contact_tag', config: { action: 'add', tags: ['ping'] } }],
      });
      const contact = (await admin().post('/contacts', { firstName: 'Ada' })).body as { id: string };
      expect((await admin().post(`/contacts/${contact.id}/tags`, { tags: ['ping'] })).status).toBe(200);

      const runs = await chain([ping.id, pong.id], 11);
      expect(runs).toHaveLength(11);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);
      // Ping, pong, … : the 11th is a Ping, whose "pong" tag would have started the 12th.
      const last = runs.at(-1)!;
      expect(last.workflowId).toBe(ping.id);
      expect(last.stepLog.find((s) => s.stepId === 'pong')!.notes).toEqual([expect.stringMatching(guard(pong.id))]);
      // The runs before it started the next one: nothing to say.
      expect(runs.slice(0, -1).flatMap((r) => r.stepLog.flatMap((s) => s.notes ?? []))).toEqual([]);
    }, 30_000);

    it('a manual workflow that triggers itself: the 11th run\'s trigger_workflow step says why no run was started', async () => {
      const created = await admin().post('/workflows', { name: 'Again', trigger: { type: 'manual' }, steps: [{ id: 'note', type: 'add_comment', config: { text: 'x' } }] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = created.body.id as string;
      const steps = [{ id: 'again', type: 'trigger_workflow', config: { workflowId: id } }];
      expect((await admin().put(`/workflows/${id}`, { name: 'Again', trigger: { type: 'manual' }, steps })).status).toBe(200);
      expect((await admin().post(`/workflows/${id}/publish`)).status).toBe(200);
      const contact = (await admin().post('/contacts', { firstName: 'Ada' })).body as { id: string };
      const started = await admin().post(`/workflows/${id}/start`, { contact: { id: contact.id } });
      expect(started.status, JSON.stringify(started.body)).toBe(202);

      const runs = await chain([id], 11);
      expect(runs).toHaveLength(11);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);
      const step = runs.at(-1)!.stepLog[0]!;
      expect(step.notes).toEqual([expect.stringMatching(guard(id))]);
      expect(step.output).toMatchObject({ workflowId: id, runIds: [] });
      expect(runs.slice(0, -1).every((r) => (r.stepLog[0]!.output as { runIds: string[] }).runIds.length === 1)).toBe(true);
    }, 30_000);
  });
}
