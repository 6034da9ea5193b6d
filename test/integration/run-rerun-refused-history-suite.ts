import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ErrorBody } from '../../lib/contracts/errors';
import { Run, RunPage } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import type { TestServer as HttpServer } from '../../server/outbound/test-server';
import { failedLaunch as launchFailing, startRerunTeam, type RerunTeam } from '../support/rerun-team';
import type { Api, TestServer } from '../support/server';
import { createWorkflow, shortcutWorkflow } from './engine-support';

/**
 * The run history says, beside each failed run, when Run again would be refused (the r-team
 * review: it offered "Run again from the start" for a shortcut's run whose conversation is closed,
 * and both buttons while the workflow's assignee was deactivated, and the server refused each
 * after the confirmation). `rerunRefused` and `failedStep.refused` carry the words of the 409 the
 * POST answers. Registered by run-rerun-refused-history.test.ts (SQLite) and .pg.test.ts.
 */
export function runRerunRefusedHistorySuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let crm: HttpServer;
  let admin: Api;
  let sam: Api;
  let ava: Api;
  let team: RerunTeam;

  beforeEach(async () => {
    // The CRM's route is gone (404, not retried): each run fails at its second step.
    team = await startRerunTeam(databaseUrl(), (_req, res) => { res.statusCode = 404; res.end('{"error":"no such route"}'); });
    ({ server, crm, admin, sam, ava } = team);
  });
  afterEach(() => team.close());

  const steps = (more: StepInput[] = []): StepInput[] => [
    { id: 'note', type: 'add_comment', config: { text: 'Escalating' } },
    { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm`, body: '{}' } },
    ...more,
  ] as StepInput[];
  async function conversation(firstName: string) {
    const contact = Contact.parse((await admin.post('/contacts', { firstName })).body);
    return (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
  }
  const failedLaunch = async (workflowId: string, conversationId: string) => (await launchFailing(server, ava, workflowId, conversationId)).id;
  const history = async (workflowId: string) => new Map(RunPage.parse((await sam.get(`/runs?workflowId=${workflowId}`)).body).runs.map((r) => [r.id, r]));
  const refused = async (id: string, from?: 'failed_step') => ErrorBody.parse((await sam.post(`/runs/${id}/rerun`, from ? { from } : undefined)).body).error.message;

  it('a shortcut\'s run in a closed conversation, and a workflow assigning to a deactivated user: the history says why, in the refusal\'s words, for both choices', async () => {
    const ben = (await server.createUser('agent', { name: 'Ben Agent' })).user.id;
    const escalate = await createWorkflow(server, shortcutWorkflow({ name: 'Escalate', trigger: { type: 'shortcut', name: 'Escalate' }, steps: steps() }));
    const hand = await createWorkflow(server, shortcutWorkflow({ name: 'Hand over', trigger: { type: 'shortcut', name: 'Hand over' }, steps: steps([{ id: 'ben', type: 'assign_to', config: { userId: ben } }] as StepInput[]) }));
    const [closed, open] = [await conversation('Lena'), await conversation('Omar')];
    const [inClosed, inOpen, handed] = [await failedLaunch(escalate.id, closed), await failedLaunch(escalate.id, open), await failedLaunch(hand.id, open)];
    expect((await admin.post(`/conversations/${closed}/close`, {})).status).toBe(200);
    expect((await admin.patch(`/users/${ben}`, { active: false })).status).toBe(200);

    const runs = await history(escalate.id);
    const closedWords = await refused(inClosed);
    expect(closedWords).toMatch(/its conversation is closed now/);
    expect(runs.get(inClosed)).toMatchObject({ rerunRefused: closedWords, failedStep: { step: 2, refused: closedWords } });
    expect(await refused(inClosed, 'failed_step')).toBe(closedWords);
    expect(runs.get(inOpen)).toMatchObject({ rerunRefused: null, failedStep: { step: 2, refused: null } });

    const handWords = '“Hand over” cannot run again: it assigns to Ben Agent, who is deactivated; an admin must choose someone else in its workflow';
    expect(await refused(handed)).toBe(handWords);
    expect(await refused(handed, 'failed_step')).toBe(handWords);
    expect((await history(hand.id)).get(handed)).toMatchObject({ rerunRefused: handWords, failedStep: { refused: handWords } });
    // The run's own page says the same.
    expect(Run.parse((await sam.get(`/runs/${handed}`)).body)).toMatchObject({ rerunRefused: handWords, failedStep: { refused: handWords } });

    // Reactivated: nothing refused, and it runs again.
    expect((await admin.patch(`/users/${ben}`, { active: true })).status).toBe(200);
    expect((await history(hand.id)).get(handed)).toMatchObject({ rerunRefused: null, failedStep: { refused: null } });
  });
}
