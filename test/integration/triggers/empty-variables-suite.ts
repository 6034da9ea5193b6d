import { describe, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { Run } from '../../../lib/contracts/runs';
import type { StepInput } from '../../../lib/contracts/steps';
import { waitForRun } from '../../support/builders';
import { eachAdminServer } from '../../support/each-server';
import { type Api, type TestServer } from '../../support/server';

/**
 * Webhook deliveries that lack a key a step's value or tag is built from, over real HTTP: Update
 * Contact Field keeps the field (names, email, phone, custom fields alike) and says so, a value
 * written empty clears it, the step's "when empty: clear" clears it; a list variable in a tag
 * makes one tag per element. Registered by empty-variables.test.ts (SQLite) and
 * empty-variables.pg.test.ts (PostgreSQL).
 */
export function emptyVariablesSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });

  const set = (id: string, field: string, value: string, whenEmpty?: 'keep' | 'clear'): StepInput =>
    ({ id, type: 'update_contact_field', config: { field, value, ...(whenEmpty ? { whenEmpty } : {}) } });
  const contactOf = async (id: string) => Contact.parse((await admin.get(`/contacts/${id}`)).body);
  const stepOf = (run: Run, id: string) => run.stepLog.find((s) => s.stepId === id);
  /** The steps' outputs and notes (the trigger's entry, first, notes the mappings that matched nothing). */
  const stepsOf = (run: Run) => run.stepLog.filter((s) => s.type !== 'trigger').map((s) => ({ output: s.output, notes: s.notes }));

  /** Publishes a webhook workflow finding the contact by `$.customer.email`; `deliver` posts a body and waits for its run. */
  async function webhook(mappings: Record<string, string>, steps: StepInput[]) {
    const created = await admin.post('/workflows', {
      name: 'Shop order', status: 'published', steps,
      trigger: {
        type: 'incoming_webhook', identifier: { type: 'email', jsonKey: '$.customer.email' },
        mappings: Object.entries(mappings).map(([variable, jsonKey]) => ({ jsonKey, variable })),
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const hook = new URL(created.body.trigger.url as string).pathname;
    return async (body: object) => {
      const res = await server.request('POST', hook, { body });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return Run.parse(await waitForRun(server.app.services.db, res.body.runIds[0]));
    };
  }

  async function lena() {
    for (const [key, type] of [['plan', 'text'], ['order_total', 'number']]) expect((await admin.put(`/fields/${key}`, { label: key, type })).status).toBe(200);
    const res = await admin.post('/contacts', { firstName: 'Lena', lastName: 'Vogel', email: 'lena@example.com', phone: '+4915112345678', fields: { plan: 'pro', order_total: 1250 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Contact.parse(res.body);
  }

  const customer = { email: 'lena@example.com' };
  const shopMappings = { fname: '$.customer.first_name', plan: '$.customer.plan', total: '$.order.total_price', phone: '$.customer.phone' };
  const shopSteps = [
    set('first', 'firstName', '{{$trigger.fname}}'), set('plan', 'plan', '{{$trigger.plan}}'),
    set('total', 'order_total', '{{$trigger.total}}'), set('phone', 'phone', '{{$trigger.phone}}'),
  ];

  describe('Update contact field from a webhook', () => {
    it('a delivery without first name, plan, total or phone keeps each as it was, and each step says so', async () => {
      const contact = await lena();
      const deliver = await webhook(shopMappings, shopSteps);
      const run = await deliver({ customer, order: { id: 'o-1' } });
      expect(run.status, run.error ?? '').toBe('completed');
      expect(stepsOf(run)).toEqual([
        { output: { field: 'firstName', unchanged: true, oldValue: 'Lena' }, notes: ['{{$trigger.fname}} was empty: first name kept as "Lena"'] },
        { output: { field: 'plan', unchanged: true, oldValue: 'pro' }, notes: ['{{$trigger.plan}} was empty: plan kept as "pro"'] },
        { output: { field: 'order_total', unchanged: true, oldValue: 1250 }, notes: ['{{$trigger.total}} was empty: order_total kept as "1250"'] },
        { output: { field: 'phone', unchanged: true, oldValue: '+4915112345678' }, notes: ['{{$trigger.phone}} was empty: phone kept as "+4915112345678"'] },
      ]);
      expect(await contactOf(contact.id)).toMatchObject({ firstName: 'Lena', phone: '+4915112345678', fields: { plan: 'pro', order_total: 1250 } });
      expect((await server.events('contact.field_updated')).filter((e) => e.source === 'workflow')).toEqual([]);

      // A null is no value either; values that are there are written as always.
      const nulls = await deliver({ customer: { ...customer, first_name: null, plan: '  ' }, order: { total_price: null } });
      expect(stepsOf(nulls).slice(0, 3).map((s) => s.output)).toEqual([
        { field: 'firstName', unchanged: true, oldValue: 'Lena' }, { field: 'plan', unchanged: true, oldValue: 'pro' }, { field: 'order_total', unchanged: true, oldValue: 1250 },
      ]);
      const given = await deliver({ customer: { ...customer, first_name: 'Lène', plan: 'basic', phone: '+49 151 1234 5670' }, order: { total_price: '99.50' } });
      expect(given.status, given.error ?? '').toBe('completed');
      expect(stepsOf(given).flatMap((s) => s.notes)).toEqual([]);
      expect(await contactOf(contact.id)).toMatchObject({ firstName: 'Lène', phone: '+4915112345670', fields: { plan: 'basic', order_total: 99.5 } });
    });

    it('a value written empty clears the field; "when empty: clear" clears it from an empty variable, saying so', async () => {
      const contact = await lena();
      const deliver = await webhook(shopMappings, [
        set('last', 'lastName', ''), set('plan', 'plan', '{{$trigger.plan}}', 'clear'),
        set('first', 'firstName', '{{$trigger.fname}}', 'clear'), set('total', 'order_total', '{{$trigger.total}}', 'keep'),
      ]);
      const run = await deliver({ customer });
      expect(run.status, run.error ?? '').toBe('completed');
      expect(stepsOf(run)).toEqual([
        { output: { field: 'lastName', oldValue: 'Vogel', newValue: null }, notes: [] },
        { output: { field: 'plan', oldValue: 'pro', newValue: null }, notes: ['{{$trigger.plan}} was empty: plan cleared, as the step says to when its value is empty'] },
        { output: { field: 'firstName', oldValue: 'Lena', newValue: null }, notes: ['{{$trigger.fname}} was empty: first name cleared, as the step says to when its value is empty'] },
        { output: { field: 'order_total', unchanged: true, oldValue: 1250 }, notes: ['{{$trigger.total}} was empty: order_total kept as "1250"'] },
      ]);
      expect(await contactOf(contact.id)).toMatchObject({ firstName: '', lastName: '', fields: { order_total: 1250 } });
      expect((await contactOf(contact.id)).fields).not.toHaveProperty('plan');

      const wrong = await admin.post('/workflows', { name: 'W', trigger: { type: 'manual' }, steps: [{ id: 'p', type: 'update_contact_field', config: { field: 'plan', value: '{{$contact.firstName}}', whenEmpty: 'erase' } }] });
      expect(wrong.status).toBe(422);
      expect(wrong.body.error.details).toContainEqual({ path: 'body.steps.0.config.whenEmpty', message: 'Choose keep or clear' });
    });

    it('a value partly made of empty variables writes the rest, without the spaces the empty ones leave', async () => {
      const contact = await lena();
      const deliver = await webhook({ first: '$.customer.first', middle: '$.customer.middle', last: '$.customer.last' },
        [set('name', 'firstName', '{{$trigger.first}} {{$trigger.middle}} {{$trigger.last}}'), set('plan', 'plan', 'vip-{{$trigger.middle}}')]);
      const both = await deliver({ customer: { ...customer, first: 'Ana', last: 'López' } });
      expect(stepOf(both, 'name')).toMatchObject({ output: { field: 'firstName', oldValue: 'Lena', newValue: 'Ana López' } });
      expect(stepOf(both, 'plan')).toMatchObject({ output: { unchanged: true, oldValue: 'pro' }, notes: ['{{$trigger.middle}} was empty: plan kept as "pro"'] });
      const one = await deliver({ customer: { ...customer, last: 'Ruiz' } });
      expect(stepOf(one, 'name')).toMatchObject({ output: { field: 'firstName', oldValue: 'Ana López', newValue: 'Ruiz' } });
      const none = await deliver({ customer });
      expect(stepOf(none, 'name')).toMatchObject({
        output: { field: 'firstName', unchanged: true, oldValue: 'Ruiz' },
        notes: ['{{$trigger.first}}, {{$trigger.middle}} and {{$trigger.last}} were empty: first name kept as "Ruiz"'],
      });
      expect((await contactOf(contact.id)).firstName).toBe('Ruiz');
    });
  });

  describe('Update contact tag with a list variable', () => {
    async function tagged(tags: string[], action: 'add' | 'remove' = 'add') {
      const contact = await lena();
      const deliver = await webhook({ skus: '$.order.items[*].sku', shop: '$.shop', colors: '$.order.items[*].color' },
        [{ id: 'tag', type: 'update_contact_tag', config: { action, tags } }]);
      return { contact, deliver };
    }

    it('adds one tag per element, each with the text around it; an empty element makes none; remove takes each off', async () => {
      const { contact, deliver } = await tagged(['sku-{{$trigger.skus}}', '{{$trigger.shop}}-buyer']);
      const run = await deliver({ customer, shop: 'eu', order: { items: [{ sku: 'A' }, { sku: 'B' }, { sku: '' }, { sku: 'a' }] } });
      expect(run.status, run.error ?? '').toBe('completed');
      expect(stepOf(run, 'tag')).toMatchObject({ output: { action: 'add', changed: ['sku-A', 'sku-B', 'eu-buyer'] }, notes: ['1 of the 4 elements of {{$trigger.skus}} were empty and made no tag'] });
      expect((await contactOf(contact.id)).tags).toEqual(['sku-A', 'sku-B', 'eu-buyer']);

      const remove = await webhook({ skus: '$.order.items[*].sku' }, [{ id: 'untag', type: 'update_contact_tag', config: { action: 'remove', tags: ['sku-{{$trigger.skus}}'] } }]);
      const removed = await remove({ customer, order: { items: [{ sku: 'b' }, { sku: 'A' }] } });
      expect(stepOf(removed, 'untag')).toMatchObject({ output: { action: 'remove', changed: ['sku-A', 'sku-B'] } });
      expect((await contactOf(contact.id)).tags).toEqual(['eu-buyer']);
    });

    it('two lists in one tag, or a list with nothing in it, fail the step saying why; no tag changes', async () => {
      const { contact, deliver } = await tagged(['ok', '{{$trigger.skus}}-{{$trigger.colors}}']);
      const two = await deliver({ customer, order: { items: [{ sku: 'A', color: 'red' }, { sku: 'B', color: 'blue' }] } });
      expect(two).toMatchObject({ status: 'failed', error: 'The tag “{{$trigger.skus}}-{{$trigger.colors}}” uses 2 lists ({{$trigger.skus}}, {{$trigger.colors}}); a tag makes one tag per element of one list: put each list in a tag of its own. No tag was changed' });
      const single = await webhook({ skus: '$.order.items[*].sku' }, [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['ok', 'sku-{{$trigger.skus}}'] } }]);
      const none = await single({ customer, order: { items: [] } });
      expect(none).toMatchObject({ status: 'failed', error: 'The tag “sku-{{$trigger.skus}}” came out as “sku-”: {{$trigger.skus}} was empty for this run; no tag was changed' });
      const blanks = await single({ customer, order: { items: [{ sku: ' ' }, { sku: '' }] } });
      expect(blanks).toMatchObject({ status: 'failed', error: 'The tag “sku-{{$trigger.skus}}” came out empty: every element of {{$trigger.skus}} was empty for this run; no tag was changed' });
      expect((await contactOf(contact.id)).tags).toEqual([]);
    });

    it('a list making more tags than a step may change fails the step; none is added', async () => {
      const { contact, deliver } = await tagged(['sku-{{$trigger.skus}}']);
      const items = Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}` }));
      const run = await deliver({ customer, order: { items } });
      expect(run).toMatchObject({ status: 'failed', error: 'The tags came to 51; a step changes at most 50. No tag was changed' });
      expect((await contactOf(contact.id)).tags).toEqual([]);
    });
  });
}
