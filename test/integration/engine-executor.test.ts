import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepInput } from '../../lib/contracts/steps';
import { getContact } from '../../server/domain/contacts';
import { findOpenConversation, getConversation, listMessages } from '../../server/domain/conversations';
import { upsertField } from '../../server/domain/fields';
import type { Services } from '../../server/services';
import { getRun, insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let services: Services;
beforeEach(async () => {
  server = await startTestServer();
  services = server.app.services;
});
afterEach(async () => { await server.close(); });

/** One run of a workflow made of `steps` for a fresh contact (with an open conversation unless told). */
async function runSteps(steps: StepInput[], opts: { open?: boolean; trigger?: Record<string, unknown>; tags?: string[] } = {}) {
  const { contact, conversation } = await insertContact(services, { open: opts.open, tags: opts.tags });
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps }));
  const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id, conversationId: conversation?.id ?? null, trigger: opts.trigger });
  services.runSignal.notify();
  const run = await waitForRun(services.db, runId);
  return { run, contact, conversation, workflowId: wf.id };
}

describe('executor: every step has its effect', () => {
  it('send_message posts an outgoing message by the workflow, rendered from contact and trigger', async () => {
    const { run, conversation, workflowId } = await runSteps(
      [{ id: 's1', type: 'send_message', config: { text: 'Hi {{$contact.firstName}}, order {{$trigger.order}}' } }],
      { trigger: { order: 'A-1' } },
    );
    expect(run.status).toBe('completed');
    const messages = await listMessages(services.db, conversation!.id);
    expect(messages).toMatchObject([{ text: 'Hi Ada, order A-1', direction: 'outgoing', kind: 'message', author: { type: 'workflow', id: workflowId } }]);
  });

  it('send_message without an open conversation opens one first (as Open conversation does) and sends there', async () => {
    const { run, contact, workflowId } = await runSteps([{ id: 's1', type: 'send_message', config: { text: 'Hi' } }], { open: false });
    expect(run.status, run.error ?? '').toBe('completed');
    const open = await findOpenConversation(services.db, contact.id);
    expect(open?.openedBySource).toBe('workflow');
    expect(await listMessages(services.db, open!.id)).toMatchObject([{ text: 'Hi', direction: 'outgoing', kind: 'message', author: { type: 'workflow', id: workflowId } }]);
    expect(run.stepLog).toMatchObject([{ stepId: 's1', status: 'completed', notes: [expect.stringMatching(/^The contact had no open conversation: this step opened/)] }]);
  });

  it('add_comment adds an internal note', async () => {
    const { run, conversation } = await runSteps([{ id: 'c', type: 'add_comment', config: { text: 'VIP: {{$contact.lastName}}' } }]);
    expect(run.status).toBe('completed');
    expect(await listMessages(services.db, conversation!.id)).toMatchObject([{ text: 'VIP: Lovelace', kind: 'comment', author: { type: 'workflow' } }]);
  });

  it.each([
    ['add', ['old'], ['vip', 'new'], ['old', 'vip', 'new']],
    ['remove', ['old', 'vip'], ['vip'], ['old']],
  ] as const)('update_contact_tag %s', async (action, before, tags, after) => {
    const { run, contact } = await runSteps([{ id: 't', type: 'update_contact_tag', config: { action, tags: [...tags] } }], { tags: [...before] });
    expect(run.status).toBe('completed');
    expect((await getContact(services.db, contact.id)).tags.sort()).toEqual([...after].sort());
    const events = await server.events(action === 'add' ? 'contact.tag_added' : 'contact.tag_removed');
    expect(events.filter((e) => e.source === 'workflow').every((e) => e.contactId === contact.id)).toBe(true);
  });

  it.each([
    ['number', 'text', '{{$trigger.qty}}', { qty: '42' }, 42],
    ['checkbox', 'text', 'yes', {}, true],
    ['date', 'text', '{{$trigger.when}}', { when: '2025-03-04T10:00:00.000Z' }, '2025-03-04'],
    ['list', 'Gold', 'gold', {}, 'Gold'],
    ['text', 'text', 'Order {{$trigger.order}}', { order: 7 }, 'Order 7'],
  ] as const)('update_contact_field coerces to a %s field', async (type, option, template, trigger, expected) => {
    await upsertField(services.db, { key: 'f', label: 'F', type, options: type === 'list' ? [option, 'Silver'] : [] });
    const { run, contact } = await runSteps([{ id: 'f', type: 'update_contact_field', config: { field: 'f', value: template } }], { trigger });
    expect(run.status, run.error ?? '').toBe('completed');
    expect((await getContact(services.db, contact.id)).fields.f).toEqual(expected);
    const [event] = await server.events('contact.field_updated');
    expect(event).toMatchObject({ source: 'workflow', payload: { field: 'f', newValue: expected } });
  });

  it('update_contact_field fails the run when the value does not fit the field', async () => {
    await upsertField(services.db, { key: 'qty', label: 'Qty', type: 'number', options: [] });
    const { run } = await runSteps([{ id: 'f', type: 'update_contact_field', config: { field: 'qty', value: 'many' } }]);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/"many" is not a number/);
  });

  it('assign_to assigns a user, then unassign removes them', async () => {
    const { user } = await server.createUser('agent');
    const { run, conversation } = await runSteps([{ id: 'a', type: 'assign_to', config: { userId: user.id } }]);
    expect(run.status).toBe('completed');
    expect((await getConversation(services.db, conversation!.id)).assigneeId).toBe(user.id);
    const second = await runSteps([
      { id: 'a', type: 'assign_to', config: { userId: user.id } },
      { id: 'u', type: 'assign_to', config: { userId: 'unassign' } },
    ]);
    expect(second.run.status).toBe('completed');
    expect((await getConversation(services.db, second.conversation!.id)).assigneeId).toBeNull();
  });

  it('open_conversation opens one with source workflow; when one is open it notes that and continues', async () => {
    const { run, contact } = await runSteps([
      { id: 'o1', type: 'open_conversation', config: {} },
      { id: 'o2', type: 'open_conversation', config: {} },
    ], { open: false });
    expect(run.status).toBe('completed');
    const open = await findOpenConversation(services.db, contact.id);
    expect(open?.openedBySource).toBe('workflow');
    expect(run.stepLog[1]).toMatchObject({ stepId: 'o2', status: 'completed', notes: [expect.stringMatching(/already open/)] });
    const [event] = await server.events('conversation.opened').then((es) => es.filter((e) => e.source === 'workflow'));
    expect(event?.payload.conversationId).toBe(open?.id);
  });

  it('close_conversation closes with category and rendered summary, source workflow', async () => {
    const { run, conversation } = await runSteps([
      { id: 'c', type: 'close_conversation', config: { category: 'Resolved', summary: 'Done for {{$contact.firstName}}' } },
    ]);
    expect(run.status).toBe('completed');
    expect(await getConversation(services.db, conversation!.id)).toMatchObject({
      status: 'closed', closedBySource: 'workflow', category: 'Resolved', summary: 'Done for Ada',
    });
  });

  it.each([
    ['the first branch that holds', { tier: 'gold' }, 'gold-msg'],
    ['else when none holds', { tier: 'bronze' }, 'else-msg'],
  ])('branch takes %s', async (_name, trigger, expected) => {
    const { run, conversation } = await runSteps([
      { id: 'b', type: 'branch', config: {
        branches: [
          { name: 'silver', conditions: { logic: 'and', rules: [{ left: '{{$trigger.tier}}', operator: 'is', right: 'silver' }] }, goTo: 'silver-msg' },
          { name: 'gold', conditions: { logic: 'or', rules: [{ left: '{{$trigger.tier}}', operator: 'is', right: 'GOLD' }] }, goTo: 'gold-msg' },
        ],
        elseGoTo: 'else-msg',
      } },
      { id: 'silver-msg', type: 'add_comment', config: { text: 'silver' } },
      { id: 'gold-msg', type: 'add_comment', config: { text: 'gold' } },
      { id: 'end1', type: 'jump_to', config: { stepId: 'end' } },
      { id: 'else-msg', type: 'add_comment', config: { text: 'else' } },
      { id: 'end', type: 'add_comment', config: { text: 'end' } },
    ], { trigger });
    expect(run.status).toBe('completed');
    const texts = (await listMessages(services.db, conversation!.id)).map((m) => m.text);
    expect(texts).toEqual(expected === 'gold-msg' ? ['gold', 'end'] : ['else', 'end']);
  });

  it('a run jumping more than 10 times fails, with the jumps in its step log', async () => {
    const { run, conversation } = await runSteps([
      { id: 'loop', type: 'add_comment', config: { text: 'again' } },
      { id: 'back', type: 'jump_to', config: { stepId: 'loop' } },
    ]);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/at most 10 times/);
    // Its eleven comments, then the line saying why it failed (an activity line, nobody's message).
    const messages = await listMessages(services.db, conversation!.id);
    expect(messages.filter((m) => m.kind === 'comment')).toHaveLength(11);
    expect(messages.at(-1)).toMatchObject({ kind: 'activity', text: `Workflow “Test workflow” failed at step “back”: ${run.error}` });
    expect(run.stepLog.filter((e) => e.stepId === 'back')).toHaveLength(11);
    expect(run.stepLog.at(-1)).toMatchObject({ stepId: 'back', status: 'failed' });
  });

  it('unknown template variables render empty and are noted in the step log', async () => {
    const { run, conversation } = await runSteps([{ id: 'm', type: 'send_message', config: { text: 'Hi {{$contact.nickname}}!{{$trigger.nope}}' } }]);
    expect(run.status).toBe('completed');
    expect((await listMessages(services.db, conversation!.id))[0]?.text).toBe('Hi !');
    expect(run.stepLog[0]?.notes).toEqual(['Unknown variable $contact.nickname rendered empty', 'Unknown variable $trigger.nope rendered empty']);
  });

  it('mini_app_action has its slot: an action of an app that is not there fails the run with a reason', async () => {
    const { run } = await runSteps([{ id: 'm', type: 'mini_app_action', config: { appId: 'a', actionKey: 'k' } }]);
    expect(run.status).toBe('failed');
    expect(run.stepLog).toMatchObject([{ stepId: 'm', type: 'mini_app_action', status: 'failed', error: expect.any(String) }]);
  });

  it('wait parks the run (waiting, lease released) and resumes it when due', async () => {
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'w', type: 'wait', config: { seconds: 1 } },
      { id: 'after', type: 'add_comment', config: { text: 'after the wait' } },
    ] }));
    const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
    services.runSignal.notify();
    const waiting = await waitForRun(services.db, runId, ['waiting']);
    expect(waiting.wakeAt).not.toBeNull();
    const row = await services.db.selectFrom('runs').select(['lease_until', 'cursor']).where('id', '=', runId).executeTakeFirstOrThrow();
    expect(row).toEqual({ lease_until: null, cursor: 1 });
    const done = await waitForRun(services.db, runId);
    expect(done.status).toBe('completed');
    expect(Date.parse(done.endedAt!)).toBeGreaterThanOrEqual(Date.parse(waiting.wakeAt!));
    expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(['after the wait']);
  });

  it('runs of one contact in one workflow do not interleave', async () => {
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
      { id: 'a', type: 'add_comment', config: { text: '{{$trigger.n}}-1' } },
      { id: 'w', type: 'wait', config: { seconds: 1 } },
      { id: 'b', type: 'add_comment', config: { text: '{{$trigger.n}}-2' } },
    ] }));
    const ids = [];
    for (const n of ['r1', 'r2', 'r3']) ids.push(await insertRun(services.db, { workflowId: wf.id, contactId: contact.id, trigger: { n } }));
    // Another contact's run in the same workflow is not held back by them.
    const other = await insertContact(services);
    const otherRun = await insertRun(services.db, { workflowId: wf.id, contactId: other.contact.id, trigger: { n: 'o' } });
    services.runSignal.notify();
    const otherDone = await waitForRun(services.db, otherRun);
    expect((await getRun(services.db, ids[2]!)).status).toBe('queued');
    for (const id of ids) expect((await waitForRun(services.db, id)).status).toBe('completed');
    expect(Date.parse(otherDone.endedAt!)).toBeLessThan(Date.parse((await getRun(services.db, ids[1]!)).endedAt!));
    expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(['r1-1', 'r1-2', 'r2-1', 'r2-2', 'r3-1', 'r3-2']);
  });

  it('a step whose effect was already recorded (crash before the checkpoint) is not repeated', async () => {
    const { contact, conversation } = await insertContact(services);
    const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 's', type: 'send_message', config: { text: 'once' } }] }));
    const runId = await insertRun(services.db, { workflowId: wf.id, contactId: contact.id });
    await services.db.insertInto('step_effects').values({ key: `${runId}:s`, result: JSON.stringify({ id: 'msg_before' }), created_at: new Date().toISOString() }).execute();
    services.runSignal.notify();
    const run = await waitForRun(services.db, runId);
    expect(run.status).toBe('completed');
    expect(await listMessages(services.db, conversation!.id)).toEqual([]);
    expect(run.stepLog[0]?.notes?.[0]).toMatch(/already done/);
  });
});
