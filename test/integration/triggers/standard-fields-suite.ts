import { describe, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import type { StepInput } from '../../../lib/contracts/steps';
import { waitForRun } from '../../support/builders';
import { type Api, type TestServer } from '../../support/server';
import { createWorkflow, runsOf } from '../engine-support';
import { eachAdminServer } from '../../support/each-server';

/**
 * Update Contact Field on the contact's own fields (email, phone, names) over the HTTP API, and
 * what publishing refuses. Registered by standard-fields.test.ts (SQLite) and
 * standard-fields.pg.test.ts (PostgreSQL: a refused duplicate must not break the run's transaction).
 */
export function standardFieldsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });

  const set = (id: string, field: string, value: string): StepInput => ({ id, type: 'update_contact_field', config: { field, value } });
  const contactOf = async (id: string) => Contact.parse((await admin.get(`/contacts/${id}`)).body);

  /** Runs `steps` on a fresh contact (tag `go` added); returns the contact and the finished run. */
  async function runOn(steps: StepInput[], body: Record<string, unknown> = { firstName: 'Ana' }) {
    const wf = await createWorkflow(server, { name: 'Set', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] }, steps });
    const contact = Contact.parse((await admin.post('/contacts', body)).body);
    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBe(200);
    const [run] = await runsOf(server, wf.id);
    return { contact, run: await waitForRun(server.app.services.db, run!.id) };
  }

  it('writes email, phone and names as the contacts API reads them, and Contact Field Updated fires for each', async () => {
    const watchers = await Promise.all(['email', 'phone', 'firstName', 'lastName'].map((field) =>
      createWorkflow(server, { name: `Watch ${field}`, trigger: { type: 'contact_field_updated', field }, steps: [] })));
    const { contact, run } = await runOn([
      set('email', 'email', ' Ana.Lopez@Example.COM '), set('phone', 'phone', '+34 600 11 22 33'),
      set('first', 'firstName', '  Ana María '), set('last', 'lastName', 'López'),
    ]);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog.map((s) => s.output)).toEqual([
      { field: 'email', oldValue: null, newValue: 'ana.lopez@example.com' },
      { field: 'phone', oldValue: null, newValue: '+34600112233' },
      { field: 'firstName', oldValue: 'Ana', newValue: 'Ana María' },
      { field: 'lastName', oldValue: null, newValue: 'López' },
    ]);
    expect(await contactOf(contact.id)).toMatchObject({ email: 'ana.lopez@example.com', phone: '+34600112233', firstName: 'Ana María', lastName: 'López' });
    const fired = await Promise.all(watchers.map(async (w) => (await runsOf(server, w.id)).map((r) => r.variables.trigger)));
    expect(fired).toEqual([
      [expect.objectContaining({ field: 'email', oldValue: null, newValue: 'ana.lopez@example.com', changedByType: 'workflow' })],
      [expect.objectContaining({ field: 'phone', oldValue: null, newValue: '+34600112233', changedByType: 'workflow' })],
      [expect.objectContaining({ field: 'firstName', oldValue: 'Ana', newValue: 'Ana María', changedByType: 'workflow' })],
      [expect.objectContaining({ field: 'lastName', oldValue: null, newValue: 'López', changedByType: 'workflow' })],
    ]);
  });

  it('copies a webhook\'s email onto the contact; a delivery without one keeps the email it has', async () => {
    const created = await admin.post('/workflows', {
      name: 'Copy email', status: 'published',
      trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.email', variable: 'email' }] },
      steps: [set('copy', 'email', '{{$trigger.email}}')],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const hook = new URL(created.body.trigger.url as string).pathname;
    const deliver = async (body: object) => {
      const res = await server.request('POST', hook, { body });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return waitForRun(server.app.services.db, res.body.runIds[0]);
    };
    const bob = Contact.parse((await admin.post('/contacts', { firstName: 'Bob', phone: '+14155550123' })).body);
    const first = await deliver({ phone: '+14155550123', email: 'Bob@Example.com' });
    expect(first.status, first.error ?? '').toBe('completed');
    expect((await contactOf(bob.id)).email).toBe('bob@example.com');

    const second = await deliver({ phone: '+14155550123' });
    expect(second.status).toBe('completed');
    expect(second.stepLog.find((s) => s.stepId === 'copy')).toMatchObject({
      output: { field: 'email', unchanged: true, oldValue: 'bob@example.com' },
      notes: ['{{$trigger.email}} was empty: email kept as "bob@example.com"'],
    });
    expect((await contactOf(bob.id)).email).toBe('bob@example.com');
  });

  it('an empty value written as such clears the email, as PATCH with null does', async () => {
    const { contact, run } = await runOn([set('clear', 'email', '')], { firstName: 'Ana', email: 'ana@example.com' });
    expect(run).toMatchObject({ status: 'completed', stepLog: [{ output: { field: 'email', oldValue: 'ana@example.com', newValue: null } }] });
    expect((await contactOf(contact.id)).email).toBeNull();
  });

  it.each([
    ['phone', '+14155550123', '+1 415 555 0123'],
    ['email', 'bob@example.com', 'BOB@example.com'],
  ])('%s: one another contact has fails the step, naming that contact; neither contact changes', async (field, taken, written) => {
    const bob = Contact.parse((await admin.post('/contacts', { firstName: 'Bob', lastName: 'Stone', [field]: taken })).body);
    const { contact, run } = await runOn([set('set', field, written), { id: 'after', type: 'add_comment', config: { text: 'never' } }], { firstName: 'Ana', tags: ['vip'] });
    expect(run.status).toBe('failed');
    expect(run.error).toBe(`Cannot set ${field} to ${taken}: contact ${bob.id} (Bob Stone) already has it. If they are the same person, merge the two contacts; a workflow does not merge them`);
    expect(await contactOf(contact.id)).toMatchObject({ [field]: null, tags: ['vip', 'go'] });
    expect(await contactOf(bob.id)).toMatchObject({ [field]: taken, firstName: 'Bob' });
  });

  it('a value the field cannot hold fails the step with the contacts API\'s words', async () => {
    const { contact, run } = await runOn([set('set', 'email', '{{$contact.firstName}}')]);
    expect(run).toMatchObject({ status: 'failed', error: 'Cannot set the contact\'s email: "Ana": Enter a valid email address' });
    expect((await contactOf(contact.id)).email).toBeNull();
  });

  describe('publishing', () => {
    const publish = (steps: StepInput[]) => admin.post('/workflows', { name: 'P', status: 'published', trigger: { type: 'manual' }, steps });

    it('accepts steps writing the contact\'s own fields; a custom field still has to be defined', async () => {
      const ok = await publish([
        set('email', 'email', '{{$contact.firstName}}@example.com'), set('phone', 'phone', '+1 415 555 0123'), set('name', 'firstName', 'Ana'),
        { id: 'ask', type: 'ask_question', config: { question: 'Your email?', answerType: 'email', saveToField: 'email' } },
      ]);
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      const missing = await publish([set('plan', 'plan', 'pro')]);
      expect(missing.status).toBe(422);
      expect(missing.body.error.details).toContainEqual({ path: 'body.steps.0.config.field', message: 'There is no contact field "plan"; define it first' });
      // Lifecycle has its own step (and its stages).
      expect((await publish([set('stage', 'lifecycle', 'Customer')])).status).toBe(422);
    });

    it('refuses a written value the field can never hold, naming the step and the field', async () => {
      await admin.put('/fields/order_total', { label: 'Order total', type: 'number' });
      await admin.put('/fields/tier', { label: 'Tier', type: 'list', options: ['gold', 'silver'] });
      const res = await publish([
        set('total', 'order_total', 'abc'), set('tier', 'tier', 'platinum'), set('mail', 'email', 'ana@'),
        set('fine', 'order_total', '1,250.00'), set('later', 'tier', '{{$contact.fields.tier}}'),
      ]);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([
        { path: 'body.steps.0.config.value', message: 'Step 1 ("total") cannot set "order_total" (number): "abc" is not a number' },
        { path: 'body.steps.1.config.value', message: 'Step 2 ("tier") cannot set "tier" (list): "platinum": Expected one of: gold, silver' },
        { path: 'body.steps.2.config.value', message: 'Step 3 ("mail") cannot set "email": "ana@": Enter a valid email address' },
      ]);
    });
  });
}
