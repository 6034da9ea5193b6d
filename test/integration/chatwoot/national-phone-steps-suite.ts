import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { Run } from '../../../lib/contracts/runs';
import type { StepInput } from '../../../lib/contracts/steps';
import type { CwStandinContact } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * Update Contact Field writing a phone number typed without its country code to a contact that
 * lives in Chatwoot: read in the workspace's default country as the contacts API reads it, so
 * Chatwoot (which takes E.164 only: "Phone number should be in e164 format") gets the E.164
 * number, on a Chatwoot conversation and through the Chatwoot contact when none is open.
 * Registered by national-phone-steps.test.ts (SQLite) and .pg.test.ts (PostgreSQL).
 */
export function chatwootNationalPhoneSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  beforeEach(async () => {
    p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() });
    expect((await admin().put('/settings/default-country', { country: 'FR' })).status).toBe(200);
    expect((await admin().put('/fields/mobile', { label: 'Mobile', type: 'phone' })).status).toBe(200);
  });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const set = (id: string, field: string, value: string): StepInput => ({ id, type: 'update_contact_field', config: { field, value } });
  const puts = (cw: CwStandinContact) => p.cw.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/contacts/${cw.id}`)).map((r) => r.body);
  const contactOf = async (id: string) => Contact.parse((await admin().get(`/contacts/${id}`)).body);
  const ended = (runId: string) => waitFor(`run ${runId} to end`, async () => {
    const run = Run.parse((await admin().get(`/runs/${runId}`)).body);
    return ['completed', 'failed'].includes(run.status) ? run : undefined;
  });
  const steps = [set('phone', 'phone', '06 12 34 56 78'), set('mobile', 'mobile', '07.12.34.56.78')];

  it('on a Chatwoot conversation: "06 12 34 56 78" and a phone field\'s "07.12.34.56.78" reach Chatwoot and the contact in E.164 (FR)', async () => {
    const flow = await createWorkflow(p.server, { name: 'Set', trigger: { type: 'conversation_opened' }, steps });
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Hi', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    const [started] = await runsOf(p.server, flow.id);
    const run = await ended(started!.id);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(puts(jane)).toEqual([{ phone_number: '+33612345678' }, { custom_attributes: { mobile: '+33712345678' } }]);
    expect(p.cw.contacts.get(jane.id)).toMatchObject({ phone_number: '+33612345678', custom_attributes: { mobile: '+33712345678' } });
    expect(await contactOf(run.contactId)).toMatchObject({ phone: '+33612345678', fields: { mobile: '+33712345678' } });
  });

  it('through the Chatwoot contact when none of its conversations is open, and a number that is no FR one is refused before Chatwoot is asked', async () => {
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Hi', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    conv.status = 'resolved';
    p.cw.touch(conv);
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null))).status).toBe(200);
    const janeId = Contact.parse((await admin().get('/contacts?email=jane@example.com')).body.contacts[0]).id;
    p.cw.requests.length = 0;
    const start = async (stepsToRun: StepInput[]) => {
      const flow = await createWorkflow(p.server, { name: `Update Jane ${Math.random()}`, trigger: { type: 'manual' }, steps: stepsToRun });
      const res = await admin().post(`/workflows/${flow.id}/start`, { contact: { id: janeId } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return ended(res.body.runIds[0] as string);
    };
    const run = await start(steps);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(puts(jane)).toEqual([{ phone_number: '+33612345678' }, { custom_attributes: { mobile: '+33712345678' } }]);
    expect(await contactOf(janeId)).toMatchObject({ phone: '+33612345678', fields: { mobile: '+33712345678' } });

    p.cw.requests.length = 0;
    expect((await admin().put('/fields/typed', { label: 'Typed', type: 'text' })).status).toBe(200);
    expect((await admin().patch(`/contacts/${janeId}`, { fields: { typed: '06 12' } })).status).toBe(200);
    p.cw.requests.length = 0;
    const refused = await start([set('mobile', 'mobile', '{{$contact.fields.typed}}')]);
    expect(refused).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Cannot set field "mobile" \(phone\): "06 12" is not a phone number: .*not a valid FR number either/) });
    expect(puts(jane)).toEqual([]);
  });
}
