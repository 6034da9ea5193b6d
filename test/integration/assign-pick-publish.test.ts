import { afterEach, beforeEach, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { Workflow } from '../../lib/contracts/workflow';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, shortcutWorkflow } from './engine-support';

// What an Assign to step picking among users may be saved and published with: a draft may hold an
// empty list (the rule chosen before the people), publishing names the step; hostile shapes are a
// 422 saying what to fix; a step saved before the pick existed ({ userId }) publishes as before.

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => { await server.close(); });
const admin = () => server.api(server.adminToken);
const withAssign = (config: Record<string, unknown>) => shortcutWorkflow({ steps: [{ id: 'pick', type: 'assign_to', config } as never] });

it('publishing refuses a round robin or least open step with nobody listed, naming the step', async () => {
  for (const [pick, said] of [['round_robin', 'takes turns (round robin)'], ['least_open', 'picks whoever has the fewest open conversations']] as const) {
    const draft = await createWorkflow(server, withAssign({ pick, userIds: [] }), false);
    const res = await admin().post(`/workflows/${draft.id}/publish`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(ErrorBody.parse(res.body).error.details).toContainEqual({ path: 'steps.0.config.userIds', message: `Step 1 ("pick") ${said} among no one: choose the users to assign` });
    expect(Workflow.parse((await admin().get(`/workflows/${draft.id}`)).body).status).toBe('draft');
  }
});

it('publishing refuses a listed user who is deactivated or unknown, at their place in the list', async () => {
  const ana = (await server.createUser('agent', { name: 'Ana' })).user.id;
  const bo = (await server.createUser('agent', { name: 'Bo' })).user.id;
  expect((await admin().patch(`/users/${bo}`, { active: false })).status).toBe(200);
  const draft = await createWorkflow(server, withAssign({ pick: 'round_robin', userIds: [ana, bo] }), false);
  const res = await admin().post(`/workflows/${draft.id}/publish`);
  expect(res.status).toBe(422);
  expect(ErrorBody.parse(res.body).error.details).toEqual([{ path: 'steps.0.config.userIds.1', message: 'Bo is deactivated and cannot be assigned; choose someone else' }]);
  const unknown = await createWorkflow(server, withAssign({ pick: 'least_open', userIds: ['usr_nobody'] }), false);
  expect(ErrorBody.parse((await admin().post(`/workflows/${unknown.id}/publish`)).body).error.details).toEqual([{ path: 'steps.0.config.userIds.0', message: 'There is no user usr_nobody' }]);
});

it('publishes a list of active users, and a step saved as { userId } as before', async () => {
  const ana = (await server.createUser('agent', { name: 'Ana' })).user.id;
  const bo = (await server.createUser('agent', { name: 'Bo' })).user.id;
  const listed = await createWorkflow(server, withAssign({ pick: 'least_open', userIds: [bo, ana] }));
  expect(listed.steps[0]).toMatchObject({ config: { pick: 'least_open', userIds: [bo, ana] } });
  const old = await createWorkflow(server, withAssign({ userId: ana }));
  expect(old.steps[0]!.config).toEqual({ userId: ana });
});

it.each([
  ['a list with pick user', { userIds: ['usr_a'] }, 'body.steps.0.config.userIds', /goes with pick round_robin or least_open/],
  ['one user with a list pick', { pick: 'round_robin', userId: 'usr_a', userIds: [] }, 'body.steps.0.config.userId', /leave userId out/],
  ['"unassign" in a list', { pick: 'round_robin', userIds: ['unassign'] }, 'body.steps.0.config.userIds.0', /not a user to take turns/],
  ['someone listed twice', { pick: 'least_open', userIds: ['usr_a', 'usr_a'] }, 'body.steps.0.config.userIds.1', /usr_a is listed twice/],
  ['an unknown pick', { pick: 'random', userIds: ['usr_a'] }, 'body.steps.0.config.pick', /Choose user, round_robin, least_open or team/],
  ['a team with no team chosen', { pick: 'team' }, 'body.steps.0.config.teamId', /Choose a Chatwoot team/],
  ['a team id that is not a number', { pick: 'team', teamId: '5' }, 'body.steps.0.config.teamId', /team id is a number/],
  ['a team id that is not whole', { pick: 'team', teamId: 2.5 }, 'body.steps.0.config.teamId', /whole number/],
  ['a team beside a user', { userId: 'usr_a', teamId: 5 }, 'body.steps.0.config.teamId', /goes with pick team/],
  ['users beside a team', { pick: 'team', teamId: 5, userIds: ['usr_a'] }, 'body.steps.0.config.userIds', /leave userIds out/],
  ['a list that is not one', { pick: 'round_robin', userIds: 'usr_a' }, 'body.steps.0.config.userIds', /./],
  ['a list too long', { pick: 'round_robin', userIds: Array.from({ length: 101 }, (_, i) => `usr_${i}`) }, 'body.steps.0.config.userIds', /At most 100 users/],
])('refuses %s with a 422 saying what to fix', async (_name, config, path, message) => {
  const res = await admin().post('/workflows', withAssign(config));
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(ErrorBody.parse(res.body).error.details).toContainEqual({ path, message: expect.stringMatching(message) });
});
