import { afterEach, describe, expect, it } from 'vitest';
import { Contact, ContactList } from '../../../lib/contracts/contacts';
import { ConversationDetail, ConversationList } from '../../../lib/contracts/conversations';
import type { Run } from '../../../lib/contracts/runs';
import type { StepInput } from '../../../lib/contracts/steps';
import { startPaymentApp } from '../../../examples/payment-app/server';
import { waitForRun } from '../../support/builders';
import { eachAdminServer } from '../../support/each-server';
import { type Api, type TestServer } from '../../support/server';
import { registerAndInstallPayments } from '../apps-support';
import { createWorkflow, runsOf } from '../engine-support';

/**
 * A contact field holds at most 10,000 characters (the Contact contract). A workflow that would
 * write more, whatever its trigger carried, fails its step with a note saying so, and the lists
 * showing the contact keep answering; a longer value an older version stored is read cut, marked.
 * Registered by field-value-limits.test.ts (SQLite) and field-value-limits.pg.test.ts (PostgreSQL).
 */
export function fieldValueLimitsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  // The example Payments app listens on loopback: its subscribeUrl is a private address.
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; }, { env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });

  const PHONE = '+2348012345678';
  const setNote = (value: string): StepInput => ({ id: 'note', type: 'update_contact_field', config: { field: 'pay_note', value } });

  /** A contact with an open conversation and the text field pay_note; returns both ids. */
  async function contactWithConversation() {
    expect((await admin.put('/fields/pay_note', { label: 'Payment note', type: 'text' })).status).toBe(200);
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Ada', phone: PHONE })).body);
    const conversation = await admin.post('/conversations', { contactId: contact.id });
    expect(conversation.status).toBe(201);
    return { contactId: contact.id, conversationId: conversation.body.id as string };
  }

  /** Every read that shows the contact answers 200 with a body its contract reads (each 500ed before). */
  async function expectReadsAnswer(contactId: string, conversationId: string, apps: Api[] = []) {
    const reads: [Api, string, { parse(body: unknown): unknown }][] = [
      [admin, `/contacts/${contactId}`, Contact],
      [admin, '/contacts?limit=50', ContactList],
      [admin, `/contacts?phone=${encodeURIComponent(PHONE)}`, ContactList],
      [admin, '/conversations', ConversationList],
      [admin, `/conversations/${conversationId}`, ConversationDetail],
      ...apps.map((app): [Api, string, typeof ContactList] => [app, '/contacts?limit=50', ContactList]),
    ];
    for (const [api, path, contract] of reads) {
      const res = await api.get(path);
      expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
      contract.parse(res.body);
    }
    return Contact.parse((await admin.get(`/contacts/${contactId}`)).body);
  }

  /** The run failed at the step, saying why in a few words (not the 10 KB value). */
  function expectRefused(run: Run, length: string) {
    expect(run.status).toBe('failed');
    const step = run.stepLog.find((s) => s.stepId === 'note');
    expect(step?.error).toMatch(new RegExp(`^Cannot set field "pay_note" \\(text\\): "s{40}…": the value is ${length} characters; a field holds at most 10,000$`));
    expect(run.error).toBe(step?.error);
  }

  describe('a mini-app trigger whose items make a value longer than a field holds', () => {
    /** The example Payments app, registered and installed; its key as the app's server received it. */
    async function paymentsApp() {
      const payments = await startPaymentApp({ port: 0, companionUrl: server.url });
      closeAfter.push(() => payments.close());
      const { appId, key } = await registerAndInstallPayments(server, payments);
      return { appId, app: server.api(key) };
    }
    const closeAfter: (() => Promise<void>)[] = [];
    afterEach(async () => { for (const close of closeAfter.splice(0)) await close(); });

    it.each([
      // A text item within its own limit (10,000), and the 6 separators of the template around it.
      ['a text item', '{{$trigger.status}}||||||', { status: 's'.repeat(10_000) }, '10,006'],
      ['a json item', '{{$trigger.order.note}}', { status: 'paid', order: { note: 's'.repeat(900_000) } }, '900,000'],
    ])('%s: the step fails with a note, the field keeps its value, and every list answers', async (_name, template, items, length) => {
      const { contactId, conversationId } = await contactWithConversation();
      expect((await admin.patch(`/contacts/${contactId}`, { fields: { pay_note: 'before' } })).status).toBe(200);
      const { appId, app } = await paymentsApp();
      const wf = await createWorkflow(server, { name: 'Paid', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' }, steps: [setNote(template)] });
      const fired = await app.post(`/apps/${appId}/triggers/payment_paid`, { contact: { phone: PHONE }, items });
      expect(fired.status, JSON.stringify(fired.body).slice(0, 300)).toBe(202);
      const [run] = await runsOf(server, wf.id);
      expectRefused(await waitForRun(server.app.services.db, run!.id), length);
      expect((await expectReadsAnswer(contactId, conversationId, [app])).fields).toEqual({ pay_note: 'before' });
    });
  });

  it('an incoming webhook\'s variable longer than a field holds fails the step with a note; the lists answer', async () => {
    const { contactId, conversationId } = await contactWithConversation();
    const created = await admin.post('/workflows', {
      name: 'Hook', status: 'published',
      trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.note', variable: 'note' }] },
      steps: [setNote('{{$trigger.note}}')],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const delivered = await server.request('POST', new URL(created.body.trigger.url as string).pathname, { body: { phone: PHONE, note: 's'.repeat(10_001) } });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(202);
    expectRefused(await waitForRun(server.app.services.db, delivered.body.runIds[0]), '10,001');
    expect((await expectReadsAnswer(contactId, conversationId)).fields).toEqual({});
  });

  it('a tag longer than a tag may be, made from a variable, fails the step and changes no tag', async () => {
    const created = await admin.post('/workflows', {
      name: 'Tag', status: 'published',
      trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.source', variable: 'source' }] },
      steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['paid', 'from-{{$trigger.source}}'] } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { contactId } = await contactWithConversation();
    const delivered = await server.request('POST', new URL(created.body.trigger.url as string).pathname, { body: { phone: PHONE, source: 'x'.repeat(5_000) } });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(202);
    const run = await waitForRun(server.app.services.db, delivered.body.runIds[0]);
    expect(run.status).toBe('failed');
    expect(run.error).toBe(`The tag “from-{{$trigger.source}}” came out as "from-${'x'.repeat(35)}…" (5,005 characters): A tag has at most 64 characters; no tag was changed`);
    expect(Contact.parse((await admin.get(`/contacts/${contactId}`)).body).tags).toEqual([]);
  });

  it('the API refuses such a value in the same words (422)', async () => {
    const { contactId } = await contactWithConversation();
    const res = await admin.patch(`/contacts/${contactId}`, { fields: { pay_note: 's'.repeat(20_000) } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body.fields.pay_note', message: 'the value is 20,000 characters; a field holds at most 10,000' }]);
  });

  it('a value an older version stored past the limit is read cut and marked; the lists answer, and the contact can be edited', async () => {
    const { contactId, conversationId } = await contactWithConversation();
    // As a version before this check wrote it: straight into the row.
    await server.app.services.db.updateTable('contacts').set({ fields: JSON.stringify({ pay_note: 's'.repeat(20_000), city: 'Lagos' }) })
      .where('id', '=', contactId).execute();
    const read = await expectReadsAnswer(contactId, conversationId);
    expect(read.fields.city).toBe('Lagos');
    expect(read.fields.pay_note).toMatch(/^s+…\[cut: 20,000 characters were stored; a field holds at most 10,000\]$/);
    expect(String(read.fields.pay_note).length).toBeLessThanOrEqual(10_000);
    // Editing the contact keeps what was shown (the cut value) rather than failing on what was stored.
    const edited = await admin.patch(`/contacts/${contactId}`, { firstName: 'Ada B.' });
    expect(edited.status, JSON.stringify(edited.body).slice(0, 300)).toBe(200);
    expect(Contact.parse(edited.body).fields.pay_note).toBe(read.fields.pay_note);
  });
}
