import { afterEach, beforeEach, expect, it } from 'vitest';
import { ChatwootTeamList } from '../../../lib/contracts/chatwoot-teams';
import { Contact } from '../../../lib/contracts/contacts';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

// Assign to a team (respond.io's "Assign to: team"): the built-in inbox has no teams, Chatwoot
// does (GET /api/v1/accounts/{id}/teams; POST …/conversations/{id}/assignments { team_id },
// assignments_controller.rb set_team). Chatwoot unsets the team for an id it has none of, so an
// unknown team is refused before anything is posted.

let p: ChatwootPair;
beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
afterEach(async () => { await p.close(); });

const admin = () => p.server.api(p.server.adminToken);
const teamPosts = () => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/assignments')).map((r) => r.body);
const toTeam = (teamId: number) => createWorkflow(p.server, {
  name: 'to a team', trigger: { type: 'conversation_opened' },
  steps: [{ id: 'team', type: 'assign_to', config: { pick: 'team', teamId } }],
});
const ended = (flowId: string) => waitFor('the run to end', async () => {
  const [r] = await runsOf(p.server, flowId);
  if (!r || !['completed', 'failed'].includes(r.status)) return undefined;
  return Run.parse((await admin().get(`/runs/${r.id}`)).body);
});
async function customerWritesInChatwoot() {
  const contact = p.cw.addContact({ name: 'Jane', email: 'jane@example.com' });
  const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Hello', incoming: true } });
  expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBeLessThan(300);
  return conv;
}

it('lists the connected account\'s teams for the builder', async () => {
  const res = await admin().get('/chatwoot/teams');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const list = ChatwootTeamList.parse(res.body);
  expect(list.teams.map((t) => [t.id, t.name])).toEqual([[2, 'Sales'], [5, 'Support']]);
  expect(list.errors).toEqual([]);
  const agent = await p.server.createUser('agent', { name: 'Alex', email: 'alex@example.com' });
  expect((await p.server.api(agent.token).get('/chatwoot/teams')).status).toBe(403);
});

it('hands a Chatwoot conversation to the chosen team there', async () => {
  const flow = await toTeam(5);
  const conv = await customerWritesInChatwoot();
  const run = await ended(flow.id);
  expect(run.status, run.error ?? '').toBe('completed');
  expect(conv.teamId).toBe(5);
  expect(teamPosts()).toEqual([{ team_id: 5 }]);
  expect(run.stepLog.at(-1)!.notes).toContain('Assigned to the team Support in Chatwoot');
  expect(run.stepLog.at(-1)!.output).toMatchObject({ chatwootTeam: { id: 5, name: 'Support' } });
});

it('refuses a team the account does not have, naming its teams, and leaves the conversation\'s team as it was', async () => {
  const flow = await toTeam(9);
  const conv = await customerWritesInChatwoot();
  conv.teamId = 2;
  const run = await ended(flow.id);
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(/has no team 9; its teams: Sales \(2\), Support \(5\): choose one of them in the workflow/);
  expect(teamPosts()).toEqual([]);
  expect(conv.teamId).toBe(2);
});

it('fails on a built-in conversation, saying teams are Chatwoot\'s', async () => {
  const flow = await toTeam(5);
  const olga = Contact.parse((await admin().post('/contacts', { firstName: 'Olga' })).body);
  expect((await admin().post('/conversations', { contactId: olga.id })).status).toBe(201);
  const run = await ended(flow.id);
  expect(run.status).toBe('failed');
  expect(run.error).toBe('Cannot assign to a team: teams are Chatwoot\'s, and this conversation is in the built-in inbox; assign a user (or users in turn) here instead');
  expect(teamPosts()).toEqual([]);
});
