import { describe, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { ErrorBody } from '../../../lib/contracts/errors';
import type { StepInput } from '../../../lib/contracts/steps';
import { waitForRun } from '../../support/builders';
import { type Api, type TestServer } from '../../support/server';
import { createWorkflow, runsOf } from '../engine-support';
import { eachAdminServer } from '../../support/each-server';
import { askFreshContact, askSettled, customerReplies } from './ask-on-tag';

/**
 * Phone numbers in workflow steps read as the contacts API reads them: with the workspace's
 * default country a number without its country code ("06 12 34 56 78" in FR, "(11) 91234-5678"
 * in BR) is stored in E.164, written in the step or held by a variable, by Update Contact Field
 * and by Ask a Question; one that is no number in any reading fails the step (or is asked again)
 * naming the value and the country, and publishing says so of a value written in the step.
 * Registered by national-phone-steps.test.ts (SQLite) and .pg.test.ts (PostgreSQL).
 */
export function nationalPhoneStepsSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });

  const set = (id: string, field: string, value: string): StepInput => ({ id, type: 'update_contact_field', config: { field, value } });
  const contactOf = async (id: string) => Contact.parse((await admin.get(`/contacts/${id}`)).body);
  const inCountry = async (country: string | null) => expect((await admin.put('/settings/default-country', { country })).status).toBe(200);
  const defineField = async (key: string, type: 'phone' | 'text') => expect((await admin.put(`/fields/${key}`, { label: key, type })).status).toBe(200);
  /** The contacts API's words for a number that is not one of the default country's either. */
  const notIn = (country: string, typed: string) =>
    `"${typed}" is not a phone number: it has no country code (+ and the code, e.g. +49 151 1234 5678), and it is not a valid ${country} number either (the workspace's default country)`;

  /** Runs `steps` on a fresh contact (tag `go` added); returns the contact and the finished run. */
  async function runOn(steps: StepInput[], body: Record<string, unknown> = { firstName: 'Ana' }) {
    const wf = await createWorkflow(server, { name: `Set ${Math.random()}`, trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] }, steps });
    const created = await admin.post('/contacts', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const contact = Contact.parse(created.body);
    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBe(200);
    const [run] = await runsOf(server, wf.id);
    return { contact, run: await waitForRun(server.app.services.db, run!.id) };
  }

  describe('Update Contact Field', () => {
    it('writes "06 12 34 56 78" to the contact\'s phone as +33612345678 with the workspace in FR; Contact Field Updated carries that number', async () => {
      await inCountry('FR');
      const watcher = await createWorkflow(server, { name: 'Watch phone', trigger: { type: 'contact_field_updated', field: 'phone' }, steps: [] });
      const { contact, run } = await runOn([set('phone', 'phone', '06 12 34 56 78')]);
      expect(run.status, run.error ?? '').toBe('completed');
      expect(run.stepLog[0]!.output).toEqual({ field: 'phone', oldValue: null, newValue: '+33612345678' });
      expect((await contactOf(contact.id)).phone).toBe('+33612345678');
      const [fired] = await runsOf(server, watcher.id);
      expect(fired!.variables.trigger).toMatchObject({ field: 'phone', oldValue: null, newValue: '+33612345678', changedByType: 'workflow' });
    });

    it('a webhook naming the contact by "(11) 91234-5678" sets a phone field from a variable holding "(21) 98765-4321" (BR)', async () => {
      await inCountry('BR');
      await defineField('mobile', 'phone');
      const ana = Contact.parse((await admin.post('/contacts', { firstName: 'Ana', phone: '+55 11 91234-5678' })).body);
      const created = await admin.post('/workflows', {
        name: 'Mobile', status: 'published',
        trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.mobile', variable: 'mobile' }] },
        steps: [set('mobile', 'mobile', '{{$trigger.mobile}}')],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const res = await server.request('POST', new URL(created.body.trigger.url as string).pathname, { body: { phone: '(11) 91234-5678', mobile: '(21) 98765-4321' } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const run = await waitForRun(server.app.services.db, res.body.runIds[0]);
      expect(run.contactId).toBe(ana.id);
      expect(run.status, run.error ?? '').toBe('completed');
      expect(run.stepLog[0]!.output).toEqual({ field: 'mobile', oldValue: null, newValue: '+5521987654321' });
      expect((await contactOf(ana.id)).fields.mobile).toBe('+5521987654321');
    });

    it.each([
      ['phone', '(11) 1234', 'Cannot set the contact\'s phone: '],
      ['mobile', '0800', 'Cannot set field "mobile" (phone): '],
    ])('%s from a variable holding %j, no number in BR either, fails the step naming the value and the country', async (field, typed, head) => {
      await inCountry('BR');
      await defineField('mobile', 'phone');
      await defineField('note', 'text');
      const { contact, run } = await runOn([set('set', field, '{{$contact.fields.note}}'), { id: 'after', type: 'add_comment', config: { text: 'never' } }],
        { firstName: 'Ana', fields: { note: typed } });
      expect(run).toMatchObject({ status: 'failed', error: head + notIn('BR', typed) });
      expect(run.stepLog.map((s) => s.stepId)).toEqual(['set']);
      expect(await contactOf(contact.id)).toMatchObject({ phone: null, fields: { note: typed } });
    });

    it('without a default country a national number still needs + and its code; set to FR, the same step writes it', async () => {
      await defineField('note', 'text');
      const body = { firstName: 'Ana', fields: { note: '0612345678' } };
      const before = await runOn([set('set', 'phone', '{{$contact.fields.note}}')], body);
      expect(before.run.status).toBe('failed');
      expect(before.run.error).toMatch(/^Cannot set the contact's phone: "0612345678": Start with \+ and the country code/);
      await inCountry('FR');
      const after = await runOn([set('set', 'phone', '{{$contact.fields.note}}')], body);
      expect(after.run.status, after.run.error ?? '').toBe('completed');
      expect((await contactOf(after.contact.id)).phone).toBe('+33612345678');
    });
  });

  describe('Ask a Question', () => {
    /** Asks a fresh contact (tag `go` added) on a new conversation; resolves once the question waits. */
    const ask = (config: Record<string, unknown>) => askFreshContact(server, { name: `Ask ${Math.random()}`, question: 'Your number?', config });
    const waiting = (runId: string) => askSettled(server, runId);
    const reply = (conversationId: string, text: string) => customerReplies(server, conversationId, text);
    const asked = async (conversationId: string) =>
      ((await admin.get(`/conversations/${conversationId}`)).body.messages as { direction: string }[]).filter((m) => m.direction === 'outgoing').length;

    it('"06 12" (no FR number) is asked again saying which country was assumed; "06 12 34 56 78" becomes the contact\'s phone +33612345678', async () => {
      await inCountry('FR');
      const { contactId, conversationId, runId } = await ask({ answerType: 'phone', saveToField: 'phone', saveToVariable: 'number' });
      await reply(conversationId, '06 12');
      await expect.poll(() => asked(conversationId)).toBe(2);
      expect((await waiting(runId)).stepLog.at(-1)).toMatchObject({ output: { reasked: true, reply: '06 12', reason: notIn('FR', '06 12') } });
      await reply(conversationId, '06 12 34 56 78');
      const done = await waitForRun(server.app.services.db, runId);
      expect(done.status, done.error ?? '').toBe('completed');
      expect(done.stepLog.at(-1)).toMatchObject({ output: { outcome: 'answered', answer: '+33612345678', savedToField: 'phone' } });
      expect((await contactOf(contactId)).phone).toBe('+33612345678');
    });

    it('a text answer saved to a phone field is read as a FR number too', async () => {
      await inCountry('FR');
      await defineField('mobile', 'phone');
      const { contactId, conversationId, runId } = await ask({ answerType: 'text', saveToField: 'mobile' });
      await reply(conversationId, '06 12 34 56 78');
      const done = await waitForRun(server.app.services.db, runId);
      expect(done.stepLog.at(-1)).toMatchObject({ output: { outcome: 'answered', answer: '06 12 34 56 78', savedToField: 'mobile' } });
      expect((await contactOf(contactId)).fields.mobile).toBe('+33612345678');
    });
  });

  describe('publishing', () => {
    const publish = (value: string) => admin.post('/workflows', { name: 'P', status: 'published', trigger: { type: 'manual' }, steps: [set('p', 'phone', value)] });

    it('a national number written in the step needs the default country, and must be a number of that country', async () => {
      const none = await publish('06 12 34 56 78');
      expect(none.status).toBe(422);
      expect(ErrorBody.parse(none.body).error.details).toEqual([
        { path: 'body.steps.0.config.value', message: expect.stringMatching(/^Step 1 \("p"\) cannot set "phone": "06 12 34 56 78": Start with \+ and the country code/) },
      ]);
      await inCountry('FR');
      const ok = await publish('06 12 34 56 78');
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      const short = await publish('06 12');
      expect(short.status).toBe(422);
      expect(ErrorBody.parse(short.body).error.details).toEqual([{ path: 'body.steps.0.config.value', message: `Step 1 ("p") cannot set "phone": ${notIn('FR', '06 12')}` }]);
    });
  });
}
