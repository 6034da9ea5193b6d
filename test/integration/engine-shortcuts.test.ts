import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { FormDefinition } from '../../lib/contracts/forms';
import { LaunchResult, ShortcutList } from '../../lib/contracts/shortcuts';
import { inTransaction } from '../../server/events/unit-of-work';
import { closeConversation } from '../../server/domain/conversations';
import { formSchema } from '../../lib/workflow/form-schema';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, makeContact, openFor, parseRun, shortcutWorkflow } from './engine-support';

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => { await server.close(); });

const admin = () => server.api(server.adminToken);
const list = async (token: string) => {
  const res = await server.api(token).get('/shortcuts');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return ShortcutList.parse(res.body);
};

const refundForm = {
  fields: [
    { label: 'Order ID', type: 'text' as const, variable: 'orderId', required: true },
    { label: 'Reason', type: 'list' as const, variable: 'reason', required: true, options: ['Damaged', 'Late', 'Wrong item'] },
    { label: 'Amount', type: 'number' as const, variable: 'amount' },
    { label: 'Callback', type: 'date' as const, variable: 'callbackDate' },
    { label: 'Phone', type: 'phone' as const, variable: 'phone' },
  ],
};
const refund = () => shortcutWorkflow({ name: 'Refund', trigger: { type: 'shortcut', name: 'Request refund', icon: '💸', description: 'Refund an order', form: refundForm } });

describe('GET /shortcuts', () => {
  it('lists published shortcut workflows only, by name, with their forms', async () => {
    await createWorkflow(server, refund());
    await createWorkflow(server, shortcutWorkflow({ name: 'VIP', trigger: { type: 'shortcut', name: 'Mark VIP', icon: '⭐' } }));
    await createWorkflow(server, shortcutWorkflow({ name: 'Draft', trigger: { type: 'shortcut', name: 'Draft one' } }), false);
    await createWorkflow(server, { name: 'Opened', trigger: { type: 'conversation_opened' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    const { token } = await server.createUser('agent');
    const result = await list(token);
    expect(result.allowed).toBe(true);
    expect(result.reason).toBeUndefined();
    expect(result.shortcuts.map((s) => s.name)).toEqual(['Mark VIP', 'Request refund']);
    expect(result.shortcuts[1]).toMatchObject({ icon: '💸', description: 'Refund an order', form: { fields: expect.arrayContaining([expect.objectContaining({ variable: 'orderId', required: true })]) } });
  });

  it('changes its version when a shortcut is published, edited or unpublished, and not otherwise', async () => {
    const { token } = await server.createUser('agent');
    const v0 = (await list(token)).version;
    await createWorkflow(server, { name: 'Opened', trigger: { type: 'conversation_opened' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    const draft = await createWorkflow(server, refund(), false);
    expect((await list(token)).version).toBe(v0);
    await admin().post(`/workflows/${draft.id}/publish`);
    const v1 = (await list(token)).version;
    expect(v1).not.toBe(v0);
    await admin().put(`/workflows/${draft.id}`, { ...refund(), name: 'Renamed' });
    const v2 = (await list(token)).version;
    expect(v2).not.toBe(v1);
    await admin().post(`/workflows/${draft.id}/unpublish`);
    expect((await list(token)).version).not.toBe(v2);
  });

  it('restrictions: workspace-wide and per agent; supervisors and admins always allowed; version follows', async () => {
    await createWorkflow(server, refund());
    const [agent, other, supervisor] = [await server.createUser('agent'), await server.createUser('agent'), await server.createUser('supervisor')];
    const before = (await list(agent.token)).version;

    expect((await server.api(supervisor.token).patch(`/users/${agent.user.id}/restrictions`, { shortcutsEnabled: false })).status).toBe(200);
    const personal = await list(agent.token);
    expect(personal).toMatchObject({ allowed: false, reason: expect.stringMatching(/for you/) });
    expect(personal.version).not.toBe(before);
    expect(personal.shortcuts).toHaveLength(1);
    expect((await list(other.token)).allowed).toBe(true);

    expect((await server.api(supervisor.token).patch('/settings/restrictions', { agentsCanUseShortcuts: false })).status).toBe(200);
    expect(await list(other.token)).toMatchObject({ allowed: false, reason: expect.stringMatching(/all agents/) });
    expect((await list(supervisor.token)).allowed).toBe(true);
    expect((await list(server.adminToken)).allowed).toBe(true);
    expect((await list(other.token)).version).not.toBe(personal.version);
  });

  it('needs a user token', async () => {
    expect((await server.api().get('/shortcuts')).status).toBe(401);
  });
});

describe('POST /shortcuts/:id/launch', () => {
  it('validates the form, records shortcut.launched and answers 202 with a queued run holding the values', async () => {
    const wf = await createWorkflow(server, refund());
    const { user, token } = await server.createUser('agent');
    const contact = await makeContact(server);
    const conversation = await openFor(server, contact.id);
    const res = await server.api(token).post(`/shortcuts/${wf.id}/launch`, {
      conversationId: conversation.id,
      values: { orderId: ' 1042 ', reason: 'Late', amount: '12.5', phone: '+1 (415) 555-0123', stray: 'dropped' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const { runId } = LaunchResult.parse(res.body);
    const run = parseRun((await admin().get(`/runs/${runId}`)).body);
    expect(run).toMatchObject({ status: 'queued', workflowId: wf.id, contactId: contact.id, conversationId: conversation.id, triggerEvent: { type: 'shortcut.launched' } });
    expect(run.variables).toEqual({ trigger: { orderId: '1042', reason: 'Late', amount: 12.5, callbackDate: null, phone: '+14155550123', launchedBy: user.id, launchedByName: user.name } });
    const [event] = await server.events('shortcut.launched');
    expect(event).toMatchObject({ source: 'user', contactId: contact.id, payload: { workflowId: wf.id, launchedBy: user.id } });
  });

  it('reads a phone as the extension\'s form does: a leading 00 launches in E.164, a national number gets the same message', async () => {
    const wf = await createWorkflow(server, refund());
    const contact = await makeContact(server);
    const conversation = await openFor(server, contact.id);
    const launch = (phone: string) => admin().post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values: { orderId: '1042', reason: 'Late', phone } });
    const expected = formSchema(FormDefinition.parse(refundForm)).safeParse({ phone: '0151 1234567' }).error?.issues.find((i) => i.path[0] === 'phone')?.message;
    expect(expected).toMatch(/^Start with \+ and the country code/);

    const refused = await launch('0151 1234567');
    expect(refused.status).toBe(422);
    expect(ErrorBody.parse(refused.body).error.details).toEqual([{ path: 'values.phone', message: expected }]);

    const res = await launch('0049 151 12345678');
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = parseRun((await admin().get(`/runs/${LaunchResult.parse(res.body).runId}`)).body);
    expect(run.variables).toMatchObject({ trigger: { phone: '+4915112345678' } });
  });

  it('answers 422 with one detail per invalid field', async () => {
    const wf = await createWorkflow(server, refund());
    const contact = await makeContact(server);
    const conversation = await openFor(server, contact.id);
    const res = await admin().post(`/shortcuts/${wf.id}/launch`, {
      conversationId: conversation.id,
      values: { orderId: '  ', reason: 'Broken', amount: 'lots', callbackDate: '2026-02-30', phone: '12345' },
    });
    expect(res.status).toBe(422);
    const details = ErrorBody.parse(res.body).error.details ?? [];
    expect(details.map((d) => d.path).sort()).toEqual(['values.amount', 'values.callbackDate', 'values.orderId', 'values.phone', 'values.reason']);
    expect(await server.events('shortcut.launched')).toHaveLength(0);
  });

  it.each<[string, number, (ctx: { wfId: string; draftId: string; otherId: string; open: string; closed: string; agent: string; restricted: string }) => [string, string, string]]>([
    ['a restricted agent', 403, (c) => [c.restricted, c.wfId, c.open]],
    ['an unknown shortcut', 404, (c) => [c.agent, 'wf_nope', c.open]],
    ['an unpublished shortcut', 404, (c) => [c.agent, c.draftId, c.open]],
    ['a workflow that is not a shortcut', 404, (c) => [c.agent, c.otherId, c.open]],
    ['a closed conversation', 422, (c) => [c.agent, c.wfId, c.closed]],
    ['an unknown conversation', 422, (c) => [c.agent, c.wfId, 'cnv_nope']],
  ])('refuses %s with %i', async (_name, status, pick) => {
    const wf = await createWorkflow(server, shortcutWorkflow());
    const draft = await createWorkflow(server, shortcutWorkflow({ name: 'Draft' }), false);
    const other = await createWorkflow(server, { name: 'Manual', trigger: { type: 'manual' }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    const agent = await server.createUser('agent');
    const restricted = await server.createUser('agent');
    await server.app.services.db.updateTable('users').set({ shortcuts_enabled: 0 }).where('id', '=', restricted.user.id).execute();
    const contact = await makeContact(server);
    const closedConversation = await openFor(server, contact.id);
    const services = server.app.services;
    await inTransaction(services.db, (uow) => closeConversation(uow, services, closedConversation.id, {}, { source: 'user' }));
    const open = await openFor(server, contact.id);
    const [token, id, conversationId] = pick({ wfId: wf.id, draftId: draft.id, otherId: other.id, open: open.id, closed: closedConversation.id, agent: agent.token, restricted: restricted.token });
    const res = await server.api(token).post(`/shortcuts/${id}/launch`, { conversationId, values: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(await server.events('shortcut.launched')).toHaveLength(0);
  });

  it('answers 409 when a once-per-contact shortcut already ran for the contact', async () => {
    const wf = await createWorkflow(server, shortcutWorkflow({ oncePerContact: true }));
    const contact = await makeContact(server);
    const conversation = await openFor(server, contact.id);
    const launch = () => admin().post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values: {} });
    expect((await launch()).status).toBe(202);
    expect((await launch()).status).toBe(409);
  });
});
