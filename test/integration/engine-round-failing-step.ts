import { expect } from 'vitest';
import { getContact } from '../../server/domain/contacts';
import { upsertField } from '../../server/domain/fields';
import type { Services } from '../../server/services';
import { insertContact, insertRun, insertWorkflow, makeWorkflow, waitForRun } from '../support/builders';

/**
 * Runs queued together (in one transaction, so rounds meet the failing ones beside good ones),
 * every third with an order that is not a number: its second step fails. The failing run fails
 * alone with its error, the others in the round complete; either way the tag step ran once.
 * Shared by the SQLite and PostgreSQL round tests.
 */
export async function roundWithFailingSteps(services: Services, count: number) {
  await upsertField(services.db, { key: 'order', label: 'Order', type: 'number', options: [] });
  const contacts: Awaited<ReturnType<typeof insertContact>>['contact'][] = [];
  for (let i = 0; i < count; i++) contacts.push((await insertContact(services, { open: false })).contact);
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [
    { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } },
    { id: 'order', type: 'update_contact_field', config: { field: 'order', value: '{{$trigger.order}}' } },
  ] }));
  const ids = await services.db.transaction().execute(async (trx) => {
    const out: string[] = [];
    for (const [n, c] of contacts.entries()) out.push(await insertRun(trx, { workflowId: wf.id, contactId: c.id, trigger: { order: n % 3 === 0 ? 'abc' : String(n) } }));
    return out;
  });
  services.runSignal.notify();
  const runs = await Promise.all(ids.map((id) => waitForRun(services.db, id, ['completed', 'failed', 'cancelled'], 20_000)));
  for (const [n, run] of runs.entries()) {
    const contact = await getContact(services.db, contacts[n]!.id);
    if (n % 3 === 0) {
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/Cannot set field "order" \(number\): "abc" is not a number/);
      expect(run.stepLog.map((e) => `${e.stepId}:${e.status}`)).toEqual(['tag:completed', 'order:failed']);
      expect(contact.fields.order ?? null).toBeNull();
    } else {
      expect(run.status).toBe('completed');
      expect(contact.fields.order).toBe(n);
    }
    // The tag step ran once either way (its change stays: a later step's failure does not undo it).
    expect(contact.tags).toEqual(['vip']);
  }
}
