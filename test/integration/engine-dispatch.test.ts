import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TriggerInput } from '../../lib/contracts/triggers';
import { changeTags, updateContact } from '../../server/domain/contacts';
import { closeConversation } from '../../server/domain/conversations';
import { setClosingCategories } from '../../server/domain/closing-categories';
import { inTransaction } from '../../server/events/unit-of-work';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, defineField, installApp, makeContact, openFor, record, runsOf, type WorkflowInput } from './engine-support';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ workers: false });
  await defineField(server, 'plan');
  await setClosingCategories(server.app.services.db, ['Resolved', 'Spam']);
});
afterEach(async () => { await server.close(); });

const services = () => server.app.services;
const workflow = (trigger: TriggerInput, extra: Partial<WorkflowInput> = {}): WorkflowInput =>
  ({ name: `On ${trigger.type}`, trigger, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }], ...extra });
const source = <V extends string>(operator: 'is' | 'is_not', value: V) => ({ field: 'source' as const, operator, value });
const category = (operator: 'is' | 'is_not', value: string) => ({ field: 'category' as const, operator, value });

type Contact = Awaited<ReturnType<typeof makeContact>>;
/** Does something to a fresh contact that may fire the trigger. */
type Act = (contact: Contact) => Promise<unknown>;

const open = (source: string): Act => (c) => openFor(server, c.id, { source });
const close = (source: string, category?: string, reason?: 'merge'): Act => async (c) => {
  const conversation = await openFor(server, c.id, { source: 'user' });
  await inTransaction(services().db, (uow) => closeConversation(uow, services(), conversation.id, { category, reason }, { source }));
};
const tags = (action: 'add' | 'remove', ...names: string[]): Act => (c) =>
  inTransaction(services().db, (uow) => changeTags(uow, services(), c.id, action, names, { source: 'user' }));
const setPlan = (value: string): Act => (c) =>
  inTransaction(services().db, (uow) => updateContact(uow, services(), c.id, { fields: { plan: value } }, { source: 'user' }));

describe('every trigger fires when it should, and only then', () => {
  it.each<[string, TriggerInput, { tags?: string[]; plan?: string }, Act, boolean]>([
    ['opened: any source', { type: 'conversation_opened' }, {}, open('contact'), true],
    ['opened: source is api, opened by api', { type: 'conversation_opened', conditions: { logic: 'and', rules: [source('is', 'api')] } }, {}, open('api'), true],
    ['opened: source is api, opened by a user', { type: 'conversation_opened', conditions: { logic: 'and', rules: [source('is', 'api')] } }, {}, open('user'), false],
    ['opened: source is zapier OR make, by make', { type: 'conversation_opened', conditions: { logic: 'or', rules: [source('is', 'zapier'), source('is', 'make')] } }, {}, open('make'), true],
    ['opened: source is_not workflow AND is_not user, by user', { type: 'conversation_opened', conditions: { logic: 'and', rules: [source('is_not', 'workflow'), source('is_not', 'user')] } }, {}, open('user'), false],
    ['closed: every close', { type: 'conversation_closed' }, {}, close('bot'), true],
    ['closed: not by a merge', { type: 'conversation_closed' }, {}, close('user', undefined, 'merge'), false],
    ['closed: category Spam, closed as Spam', { type: 'conversation_closed', conditions: { logic: 'and', rules: [category('is', 'Spam')] } }, {}, close('user', 'Spam'), true],
    ['closed: category Spam, closed as Resolved', { type: 'conversation_closed', conditions: { logic: 'and', rules: [category('is', 'Spam')] } }, {}, close('user', 'Resolved'), false],
    ['closed: source workflow AND category Spam, by user', { type: 'conversation_closed', conditions: { logic: 'and', rules: [source('is', 'workflow'), category('is', 'Spam')] } }, {}, close('user', 'Spam'), false],
    ['closed: source workflow OR category Spam, by user', { type: 'conversation_closed', conditions: { logic: 'or', rules: [source('is', 'workflow'), category('is', 'Spam')] } }, {}, close('user', 'Spam'), true],
    ['tag added: listed tag added', { type: 'contact_tag_updated', action: 'added', tags: ['vip', 'gold'] }, {}, tags('add', 'gold'), true],
    ['tag added: other tag added', { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, {}, tags('add', 'gold'), false],
    ['tag added: listed tag removed', { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, { tags: ['vip'] }, tags('remove', 'vip'), false],
    ['tag added: tag already there', { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, { tags: ['vip'] }, tags('add', 'vip'), false],
    ['tag removed: listed tag removed', { type: 'contact_tag_updated', action: 'removed', tags: ['vip'] }, { tags: ['vip'] }, tags('remove', 'vip'), true],
    ['tag removed: listed tag added', { type: 'contact_tag_updated', action: 'removed', tags: ['vip'] }, {}, tags('add', 'vip'), false],
    ['field: value changes', { type: 'contact_field_updated', field: 'plan' }, { plan: 'Free' }, setPlan('Pro'), true],
    ['field: first value', { type: 'contact_field_updated', field: 'plan' }, {}, setPlan('Pro'), true],
    ['field: set to the same value', { type: 'contact_field_updated', field: 'plan' }, { plan: 'Pro' }, setPlan('Pro'), false],
  ])('%s', async (_name, trigger, initial, act, fires) => {
    const contact = await makeContact(server, { tags: initial.tags, fields: initial.plan ? { plan: initial.plan } : {} });
    const wf = await createWorkflow(server, workflow(trigger));
    await act(contact);
    const runs = await runsOf(server, wf.id);
    expect(runs).toHaveLength(fires ? 1 : 0);
    if (fires) expect(runs[0]).toMatchObject({ status: 'queued', contactId: contact.id, workflowVersion: 1 });
  });

  it('gives a conversation trigger its variables and conversation', async () => {
    const wf = await createWorkflow(server, workflow({ type: 'conversation_closed' }));
    const contact = await makeContact(server);
    const conversation = await openFor(server, contact.id, { source: 'user' });
    await inTransaction(services().db, (uow) => closeConversation(uow, services(), conversation.id, { category: 'Resolved', summary: 'Done' }, { source: 'api' }));
    const [run] = await runsOf(server, wf.id);
    expect(run).toMatchObject({
      conversationId: conversation.id,
      triggerEvent: { type: 'conversation.closed' },
      variables: { trigger: { source: 'api', category: 'Resolved', summary: 'Done', resolutionTimeSeconds: expect.any(Number), firstResponseTimeSeconds: null } },
    });
  });

  it('a contact event runs in the contact\'s open conversation', async () => {
    const wf = await createWorkflow(server, workflow({ type: 'contact_tag_updated', action: 'added', tags: ['vip'] }));
    const contact = await makeContact(server);
    const conversation = await openFor(server, contact.id);
    await tags('add', 'vip')(contact);
    const [run] = await runsOf(server, wf.id);
    expect(run).toMatchObject({ conversationId: conversation.id, variables: { trigger: { tag: 'vip', action: 'added' } } });
  });

  it('webhook: one run per identified contact, with the mapped variables', async () => {
    const wf = await createWorkflow(server, workflow({ type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }] }));
    const [a, b] = [await makeContact(server), await makeContact(server)];
    const result = await record(server, { type: 'webhook.received', payload: { workflowId: wf.id, contactIds: [a.id, b.id], variables: { orderId: 'A-1' }, errors: [] } });
    expect(result.runIds).toHaveLength(2);
    const runs = await runsOf(server, wf.id);
    expect(runs.map((r) => r.contactId).sort()).toEqual([a.id, b.id].sort());
    expect(runs.every((r) => (r.variables.trigger as Record<string, unknown>).orderId === 'A-1')).toBe(true);
  });

  it('click-to-chat: only the listed ads', async () => {
    for (const adId of ['ad_1', 'ad_2', 'ad_3']) await catalogAd(adId);
    const wf = await createWorkflow(server, workflow({ type: 'click_to_chat_ads', adAccountId: 'acc', adIds: ['ad_1', 'ad_2'] }));
    const contact = await makeContact(server);
    const click = (adId: string) => record(server, { type: 'ad.clicked', payload: { contactId: contact.id, conversationId: null, adId, adName: 'Spring', ctwaClid: 'c1', message: 'Hi' } }, { source: 'click_to_chat_ads' });
    expect((await click('ad_3')).runIds).toHaveLength(0);
    expect((await click('ad_2')).runIds).toHaveLength(1);
    expect((await runsOf(server, wf.id))[0]?.variables).toEqual({ trigger: expect.objectContaining({ adId: 'ad_2', adName: 'Spring', ctwaClid: 'c1', message: 'Hi', headline: null }) });
  });

  it('mini-app: only that app\'s trigger key', async () => {
    await installApp(server, 'app_shop', { triggers: [{ key: 'paid' }, { key: 'refunded' }], actions: [] });
    const wf = await createWorkflow(server, workflow({ type: 'mini_app', appId: 'app_shop', triggerKey: 'paid' }));
    const contact = await makeContact(server);
    const fire = (triggerKey: string) => record(server, { type: 'mini_app.triggered', payload: { contactId: contact.id, appId: 'app_shop', triggerKey, items: { amount: 5 } } });
    expect((await fire('refunded')).runIds).toHaveLength(0);
    expect((await fire('paid')).runIds).toHaveLength(1);
    expect((await runsOf(server, wf.id))[0]?.variables).toEqual({ trigger: { amount: 5 } });
  });
});

async function catalogAd(adId: string) {
  const res = await server.api(server.adminToken).post('/ads', {
    adAccountId: 'acc', adId, name: 'Spring', channel: 'whatsapp_cloud_api', status: 'ACTIVE',
    objective: 'OUTCOME_ENGAGEMENT', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

describe('manual workflows', () => {
  it('start only through workflow.started naming a published manual workflow', async () => {
    const manual = await createWorkflow(server, workflow({ type: 'manual' }));
    const draft = await createWorkflow(server, workflow({ type: 'manual' }), false);
    const shortcut = await createWorkflow(server, workflow({ type: 'shortcut', name: 'S' }));
    const contact = await makeContact(server);
    await openFor(server, contact.id);
    await tags('add', 'vip')(contact);
    expect(await runsOf(server, manual.id)).toHaveLength(0);

    const start = (workflowId: string) => record(server, { type: 'workflow.started', payload: { contactId: contact.id, workflowId, variables: { orderId: '7' }, byRunId: 'run_caller' } }, { source: 'workflow', depth: 1 });
    expect((await start(draft.id)).runIds).toHaveLength(0);
    expect((await start(shortcut.id)).runIds).toHaveLength(0);
    expect((await start(manual.id)).runIds).toHaveLength(1);
    const runs = await runsOf(server, manual.id);
    expect(runs[0]?.variables).toEqual({ trigger: { orderId: '7' } });
    const row = await services().db.selectFrom('runs').select('depth').where('id', '=', runs[0]!.id).executeTakeFirstOrThrow();
    expect(row.depth).toBe(1);
  });
});

describe('once per contact', () => {
  const vipAdded = workflow({ type: 'contact_tag_updated', action: 'added', tags: ['vip'] });
  const toggle = tags('add', 'vip');
  const untoggle = tags('remove', 'vip');

  it('enrols a contact once; others still enrol', async () => {
    const wf = await createWorkflow(server, { ...vipAdded, oncePerContact: true });
    const [a, b] = [await makeContact(server), await makeContact(server)];
    await toggle(a); await untoggle(a); await toggle(a);
    await toggle(b);
    expect((await runsOf(server, wf.id)).map((r) => r.contactId).sort()).toEqual([a.id, b.id].sort());
  });

  it('switched on later, still sees enrolments from before', async () => {
    const wf = await createWorkflow(server, vipAdded);
    const [a, b] = [await makeContact(server), await makeContact(server)];
    await toggle(a); await untoggle(a); await toggle(a);
    expect(await runsOf(server, wf.id)).toHaveLength(2);

    const edited = await server.api(server.adminToken).put(`/workflows/${wf.id}`, { ...vipAdded, oncePerContact: true });
    expect(edited.status).toBe(200);
    await untoggle(a); await toggle(a);
    await toggle(b);
    const runs = await runsOf(server, wf.id);
    expect(runs.filter((r) => r.contactId === a.id)).toHaveLength(2);
    expect(runs.filter((r) => r.contactId === b.id)).toHaveLength(1);
  });
});

describe('loop guard', () => {
  it.each([[10, 1], [11, 0]])('an event at depth %i starts %i run(s)', async (depth, expected) => {
    const wf = await createWorkflow(server, workflow({ type: 'contact_tag_updated', action: 'added', tags: ['vip'] }));
    const contact = await makeContact(server);
    const result = await record(server, { type: 'contact.tag_added', payload: { contactId: contact.id, tag: 'vip' } }, { source: 'workflow', depth });
    expect(result.runIds).toHaveLength(expected);
    expect(await runsOf(server, wf.id)).toHaveLength(expected);
    const event = await services().db.selectFrom('events').select('note').where('id', '=', result.eventId).executeTakeFirstOrThrow();
    if (expected === 0) expect(event.note).toBe(`not started: the loop guard stops chains deeper than 10 workflows triggering each other (this change came from a chain of 11): ${wf.id}`);
    else expect(event.note).toBeNull();
  });
});
