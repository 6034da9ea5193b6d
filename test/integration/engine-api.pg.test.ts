import { expect, it } from 'vitest';
import { LaunchResult, ShortcutList } from '../../lib/contracts/shortcuts';
import { changeTags } from '../../server/domain/contacts';
import { inTransaction } from '../../server/events/unit-of-work';
import { WorkflowSummaryList } from '../../server/engine/workflows/queries';
import { describePg, eachPgServer } from '../support/postgres';
import type { TestServer } from '../support/server';
import { createWorkflow, makeContact, openFor, parseRun, record, runsOf, shortcutWorkflow } from './engine-support';

// The Workflow/Shortcuts API and dispatch on PostgreSQL: the queries that differ by dialect
// (upsert-or-nothing enrolments, MAX over text, JSON text columns).
describePg('engine API on PostgreSQL', () => {
  let server: TestServer;
  eachPgServer((s) => { server = s; });

  it('publishes, dispatches once per contact, launches and lists runs', async () => {
    const tagged = await createWorkflow(server, { name: 'VIP', oncePerContact: true, trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    const contact = await makeContact(server);
    const services = server.app.services;
    for (const action of ['add', 'remove', 'add'] as const) {
      await inTransaction(services.db, (uow) => changeTags(uow, services, contact.id, action, ['vip'], { source: 'user' }));
    }
    expect(await runsOf(server, tagged.id)).toHaveLength(1);

    const shortcut = await createWorkflow(server, shortcutWorkflow({ trigger: { type: 'shortcut', name: 'Refund', form: { fields: [{ label: 'Order', type: 'text', variable: 'orderId', required: true }] } } }));
    const conversation = await openFor(server, contact.id);
    const { token } = await server.createUser('agent');
    const list = ShortcutList.parse((await server.api(token).get('/shortcuts')).body);
    expect(list.shortcuts.map((s) => s.id)).toEqual([shortcut.id]);
    const launched = await server.api(token).post(`/shortcuts/${shortcut.id}/launch`, { conversationId: conversation.id, values: { orderId: '7' } });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const run = parseRun((await server.api(server.adminToken).get(`/runs/${LaunchResult.parse(launched.body).runId}`)).body);
    expect(run).toMatchObject({ status: 'queued', conversationId: conversation.id, variables: { trigger: { orderId: '7' } } });

    const summaries = WorkflowSummaryList.parse((await server.api(server.adminToken).get('/workflows')).body).workflows;
    expect(summaries.find((w) => w.id === shortcut.id)?.lastRunAt).toBe(run.createdAt);
  });

  it('enrols a contact once even when its events are dispatched concurrently', async () => {
    const wf = await createWorkflow(server, { name: 'VIP', oncePerContact: true, trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }] });
    const contact = await makeContact(server);
    const results = await Promise.all(Array.from({ length: 8 }, () =>
      record(server, { type: 'contact.tag_added', payload: { contactId: contact.id, tag: 'vip' } }, { source: 'user' })));
    expect(results.flatMap((r) => r.runIds)).toHaveLength(1);
    expect(await runsOf(server, wf.id)).toHaveLength(1);
  });
});
