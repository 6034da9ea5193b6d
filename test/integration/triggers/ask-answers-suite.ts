import { describe, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { waitForRun } from '../../support/builders';
import { type Api, type TestServer } from '../../support/server';
import { createWorkflow, runsOf } from '../engine-support';
import { eachAdminServer } from '../../support/each-server';
import { askFreshContact, askSettled, customerReplies } from './ask-on-tag';

/**
 * How Ask a Question reads the answers people type, over the HTTP API on the built-in inbox:
 * amounts as Branch reads them (an ambiguous one asked again, saying how to write it), dates in
 * the order of the workspace's default country, and answers saved to the contact's own email or
 * phone. Registered by ask-answers.test.ts (SQLite) and ask-answers.pg.test.ts (PostgreSQL).
 */
export function askAnswersSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });

  /** Asks a fresh contact (tag `go` added) on a new conversation; resolves once the question waits. */
  const ask = (config: Record<string, unknown>, contact?: Record<string, unknown>) => askFreshContact(server, { name: 'Ask', question: 'Your answer?', config, contact });
  const waiting = (runId: string) => askSettled(server, runId);
  const reply = (conversationId: string, text: string) => customerReplies(server, conversationId, text);
  const texts = async (conversationId: string) =>
    ((await admin.get(`/conversations/${conversationId}`)).body.messages as { text: string; direction: string }[]).filter((m) => m.direction === 'outgoing').map((m) => m.text);
  const contactOf = async (id: string) => Contact.parse((await admin.get(`/contacts/${id}`)).body);
  /** Replies, and waits for the question asked again (the `asked`-th message sent). */
  async function answer(conversationId: string, text: string, asked: number) {
    await reply(conversationId, text);
    await expect.poll(async () => (await texts(conversationId)).length).toBe(asked);
  }

  describe('numbers', () => {
    it('"1,250" is asked again saying how to write it; "1,250.00" is saved as 1250', async () => {
      await admin.put('/fields/order_total', { label: 'Order total', type: 'number' });
      const { contactId, conversationId, runId } = await ask({ answerType: 'number', saveToField: 'order_total' });
      await answer(conversationId, '1,250', 2);
      expect(await texts(conversationId)).toEqual(['Your answer?',
        'Sorry, that is not a valid answer. Your answer?\n"1,250" could be 1250 or 1.25: please write the number without a separator (1250) or with its decimals (1,250.00).']);
      expect((await waiting(runId)).stepLog.at(-1)).toMatchObject({ output: { reasked: true, reply: '1,250', reason: '"1,250" could be 1250 or 1.25 depending on the locale' } });
      await reply(conversationId, '1,250.00');
      const done = await waitForRun(server.app.services.db, runId);
      expect(done.status).toBe('completed');
      expect(done.stepLog.at(-1)).toMatchObject({ output: { outcome: 'answered', answer: 1250, savedToField: 'order_total' } });
      expect((await contactOf(contactId)).fields).toEqual({ order_total: 1250 });
    });

    it('a German customer\'s "1.250" is asked again too, never saved as 1.25; "0x100" is no number', async () => {
      await admin.put('/fields/order_total', { label: 'Order total', type: 'number' });
      const { contactId, conversationId, runId } = await ask({ answerType: 'number', saveToField: 'order_total', retries: 2 });
      await answer(conversationId, '1.250', 2);
      expect((await texts(conversationId)).at(-1)).toBe(
        'Sorry, that is not a valid answer. Your answer?\n"1.250" could be 1250 or 1,25: please write the number without a separator (1250) or with its decimals (1.250,00).');
      await answer(conversationId, '0x100', 3);
      expect((await waiting(runId)).stepLog.at(-1)).toMatchObject({ output: { reasked: true, reply: '0x100', reason: 'not a number' } });
      await reply(conversationId, '1.250,00');
      const done = await waitForRun(server.app.services.db, runId);
      expect(done.stepLog.at(-1)).toMatchObject({ output: { outcome: 'answered', answer: 1250, savedToField: 'order_total' } });
      expect((await contactOf(contactId)).fields).toEqual({ order_total: 1250 });
    });

    it.each([['1.250,50', 1250.5], ['$1,250.99', 1250.99], ['12,5', 12.5], ['7', 7]])('%j is %d', async (text, value) => {
      const { conversationId, runId } = await ask({ answerType: 'number', saveToVariable: 'n' });
      await reply(conversationId, text);
      expect((await waitForRun(server.app.services.db, runId)).stepLog.at(-1)).toMatchObject({ output: { outcome: 'answered', answer: value } });
    });
  });

  describe('dates, by the workspace\'s default country', () => {
    it.each<[string | null, string, string]>([
      ['US', '03/04/2026', '2026-03-04'],
      ['US', '12/24/2026', '2026-12-24'],
      ['ES', '03/04/2026', '2026-04-03'],
      [null, '03/04/2026', '2026-04-03'],
      ['US', '2026-04-03', '2026-04-03'],
    ])('with %s, %j is saved as %s', async (country, text, saved) => {
      if (country) expect((await admin.put('/settings/default-country', { country })).status).toBe(200);
      await admin.put('/fields/delivery', { label: 'Delivery date', type: 'date' });
      const { contactId, conversationId, runId } = await ask({ answerType: 'date', saveToField: 'delivery' });
      await reply(conversationId, text);
      expect(await waitForRun(server.app.services.db, runId)).toMatchObject({ status: 'completed' });
      expect((await contactOf(contactId)).fields).toEqual({ delivery: saved });
    });

    it('an impossible date in that order is asked again with the format to use', async () => {
      await admin.put('/settings/default-country', { country: 'US' });
      const { conversationId, runId } = await ask({ answerType: 'date', saveToVariable: 'when' });
      await answer(conversationId, '24/12/2026', 2);
      expect((await texts(conversationId))[1]).toBe('Sorry, that is not a valid answer. Your answer?\nPlease write the date as MM/DD/YYYY (e.g. 12/24/2026) or YYYY-MM-DD (2026-12-24).');
      await reply(conversationId, '12/24/2026');
      expect((await waitForRun(server.app.services.db, runId)).stepLog.at(-1)).toMatchObject({ output: { outcome: 'answered', answer: '2026-12-24' } });
    });
  });

  describe('saved to the contact\'s own fields', () => {
    it('an email answer becomes the contact\'s email, and Contact Field Updated fires', async () => {
      const watcher = await createWorkflow(server, { name: 'Watch', trigger: { type: 'contact_field_updated', field: 'email' }, steps: [] });
      const { contactId, conversationId, runId } = await ask({ answerType: 'email', saveToField: 'email' });
      await reply(conversationId, 'Ana.Lopez@Example.com');
      expect(await waitForRun(server.app.services.db, runId)).toMatchObject({ status: 'completed', stepLog: [{}, { output: { answer: 'ana.lopez@example.com', savedToField: 'email' } }] });
      expect((await contactOf(contactId)).email).toBe('ana.lopez@example.com');
      const [fired] = await runsOf(server, watcher.id);
      expect(fired!.variables.trigger).toMatchObject({ field: 'email', oldValue: null, newValue: 'ana.lopez@example.com', changedByType: 'workflow' });
    });

    it('a text answer saved to the first name is trimmed as the contacts API trims it', async () => {
      const { contactId, conversationId, runId } = await ask({ answerType: 'text', saveToField: 'firstName' });
      await reply(conversationId, '  Ana María ');
      expect(await waitForRun(server.app.services.db, runId)).toMatchObject({ status: 'completed' });
      expect((await contactOf(contactId)).firstName).toBe('Ana María');
    });

    it('a phone another contact has fails the step, naming that contact; nothing is merged', async () => {
      const bob = Contact.parse((await admin.post('/contacts', { firstName: 'Bob', phone: '+14155550123' })).body);
      const { contactId, conversationId, runId } = await ask({ answerType: 'phone', saveToField: 'phone' });
      await reply(conversationId, '+1 (415) 555-0123');
      const run = await waitForRun(server.app.services.db, runId);
      expect(run).toMatchObject({ status: 'failed', error: `Cannot set phone to +14155550123: contact ${bob.id} (Bob) already has it. If they are the same person, merge the two contacts; a workflow does not merge them` });
      expect((await contactOf(contactId)).phone).toBeNull();
      expect((await contactOf(bob.id)).phone).toBe('+14155550123');
      expect(await server.app.services.db.selectFrom('question_waits').selectAll().where('run_id', '=', runId).execute()).toEqual([]);
    });
  });
}
