import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StepInput } from '../../lib/contracts/steps';
import { nowIso } from '../../server/ids';
import { toJson } from '../../server/store/database';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';

/**
 * Registered by assign-pick.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A respond.io admin's
 * "Assign To: a user in a team, round robin / least open contacts" had no counterpart: the step
 * named one user. It now picks among a list, the turn kept in the database (assign_rotations),
 * the pick kept under the step's key so a step run again after a crash assigns the same person.
 */
export function assignPickSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  let ids: { ana: string; bo: string; cy: string };
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    admin = server.api(server.adminToken);
    const made = async (name: string) => (await server.createUser('agent', { name })).user.id;
    ids = { ana: await made('Ana'), bo: await made('Bo'), cy: await made('Cy') };
  });
  afterEach(async () => { await server.close(); });

  const pickStep = (pick: 'round_robin' | 'least_open', userIds: string[]): StepInput => ({ id: 'assign', type: 'assign_to', config: { pick, userIds } });
  const workflowWith = async (step: StepInput) => (await insertWorkflow(server.app.services.db, makeWorkflow({ steps: [step] }))).id;
  /** One run of the workflow for a new contact with an open conversation, to its end. */
  async function runFor(workflowId: string, prepare?: (runId: string) => Promise<void>, version = 1) {
    const services = server.app.services;
    const { contact, conversation } = await insertContact(services, { firstName: 'Maria' });
    const runId = await insertRun(services.db, { workflowId, contactId: contact.id, conversationId: conversation!.id, version });
    await prepare?.(runId);
    services.runSignal.notify();
    const run = await waitForRun(services.db, runId);
    const assignee = (await services.db.selectFrom('conversations').select('assignee_id').where('id', '=', conversation!.id).executeTakeFirstOrThrow()).assignee_id;
    return { run, assignee, conversationId: conversation!.id };
  }
  const nameOf = (id: string | null) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;

  it('round robin gives each listed user a turn in order, run after run, and says who came before', async () => {
    const wf = await workflowWith(pickStep('round_robin', [ids.ana, ids.bo, ids.cy]));
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await runFor(wf));
    expect(runs.map((r) => r.run.status)).toEqual(Array(5).fill('completed'));
    expect(runs.map((r) => nameOf(r.assignee))).toEqual(['ana', 'bo', 'cy', 'ana', 'bo']);
    expect(runs[0]!.run.stepLog[0]!.output).toMatchObject({ pick: 'round_robin', picked: { name: 'Ana', reason: 'First in turn: Ana' } });
    expect(runs[1]!.run.stepLog[0]!.notes).toContain('Next in turn after Ana: Bo');
    expect(runs[3]!.run.stepLog[0]!.output).toMatchObject({ picked: { userId: ids.ana, reason: 'Next in turn after Cy: Ana' } });
  });

  it('unticking the user who had the last turn hands the next turn to whoever followed them, not to the top of the list', async () => {
    const definition = makeWorkflow({ steps: [pickStep('round_robin', [ids.ana, ids.bo, ids.cy])] });
    const wf = await workflowWith(definition.steps[0]!);
    expect([nameOf((await runFor(wf)).assignee), nameOf((await runFor(wf)).assignee)]).toEqual(['ana', 'bo']);
    // The admin unticks Bo in the editor and publishes (as respond.io's rotation, the order goes on).
    const edited = { ...definition, steps: [pickStep('round_robin', [ids.ana, ids.cy])] };
    expect((await admin.put(`/workflows/${wf}`, edited)).status).toBe(200);
    const published = await admin.post(`/workflows/${wf}/publish`, {});
    expect(published.status).toBe(200);
    const version = published.body.version as number;
    const after = await runFor(wf, undefined, version);
    expect(after.run.status, after.run.error ?? '').toBe('completed');
    expect(nameOf(after.assignee)).toBe('cy');
    expect(after.run.stepLog[0]!.notes).toContain('Next in turn after Bo (no longer in the step\'s list): Cy');
    expect(nameOf((await runFor(wf, undefined, version)).assignee)).toBe('ana');
  });

  it('a step run again after a crash assigns the user it had picked, and the turn moves on once', async () => {
    const wf = await workflowWith(pickStep('round_robin', [ids.ana, ids.bo, ids.cy]));
    expect(nameOf((await runFor(wf)).assignee)).toBe('ana');
    // What a crash between the pick and the assignment leaves (an outside step commits its pick
    // first): Bo's turn taken and recorded under the run's step key; no assignment, no checkpoint.
    const { run, assignee } = await runFor(wf, async (runId) => {
      const db = server.app.services.db;
      await db.updateTable('assign_rotations').set({ last_user_id: ids.bo }).where('workflow_id', '=', wf).execute();
      await db.insertInto('step_effects').values({ key: `${runId}:assign:pick`, result: toJson({ userId: ids.bo, name: 'Bo', reason: 'Next in turn after Ana: Bo' }), created_at: nowIso() }).execute();
    });
    expect(run.status, run.error ?? '').toBe('completed');
    expect(nameOf(assignee)).toBe('bo');
    expect(run.stepLog[0]!.notes).toContain('Picked before a restart: Bo (Next in turn after Ana: Bo)');
    expect(nameOf((await runFor(wf)).assignee)).toBe('cy');
  });

  it('least open conversations picks whoever has the fewest open, a tie going to the one listed first', async () => {
    const busy = async (userId: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const { conversation } = await insertContact(server.app.services);
        expect((await admin.post(`/conversations/${conversation!.id}/assign`, { userId })).status).toBe(200);
      }
    };
    await busy(ids.ana, 2);
    await busy(ids.bo, 1);
    await busy(ids.cy, 1);
    // A closed conversation is not open work.
    const { conversation: done } = await insertContact(server.app.services);
    await admin.post(`/conversations/${done!.id}/assign`, { userId: ids.cy });
    expect((await admin.post(`/conversations/${done!.id}/close`, {})).status).toBe(200);
    const wf = await workflowWith(pickStep('least_open', [ids.ana, ids.cy, ids.bo]));
    const first = await runFor(wf);
    expect(nameOf(first.assignee)).toBe('cy');
    expect(first.run.stepLog[0]!.output).toMatchObject({ pick: 'least_open', picked: { reason: 'Fewest open conversations: Cy with 1' } });
    // Cy has 2 now, Bo 1.
    expect(nameOf((await runFor(wf)).assignee)).toBe('bo');
  });

  it('skips a user deactivated or gone since publishing, with a note; with nobody left the step fails saying why', async () => {
    const wf = await workflowWith(pickStep('round_robin', ['usr_gone', ids.bo, ids.ana]));
    expect((await admin.patch(`/users/${ids.bo}`, { active: false })).status).toBe(200);
    const { run, assignee } = await runFor(wf);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(nameOf(assignee)).toBe('ana');
    expect(run.stepLog[0]!.notes).toEqual(expect.arrayContaining(['Skipped usr_gone: there is no such user any more', 'Skipped Bo: deactivated, cannot be assigned']));

    expect((await admin.patch(`/users/${ids.ana}`, { active: false })).status).toBe(200);
    const none = await runFor(wf);
    expect(none.run.status).toBe('failed');
    expect(none.run.error).toMatch(/none of the step's 3 users can be assigned/);
    expect(none.assignee).toBeNull();
  });
}
