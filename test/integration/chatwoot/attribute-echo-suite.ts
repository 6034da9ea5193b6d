import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { Run } from '../../../lib/contracts/runs';
import type { StepInput } from '../../../lib/contracts/steps';
import { cwFaults, type CwStandinContact } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { eventsOf, startChatwootPair, type ChatwootPair } from './harness';

/**
 * A workflow setting a custom field on a Chatwoot conversation writes the contact's custom
 * attribute there; Chatwoot's contact_updated echo of it, even one that comes before Chatwoot
 * answers the PUT, is not an agent's change (Contact Field Updated fires once, caused by the
 * workflow), and a refused write leaves an agent's later change of the attribute to be news.
 * Registered by attribute-echo.test.ts (SQLite) and attribute-echo.pg.test.ts (PostgreSQL).
 */
export function chatwootAttributeEchoSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  beforeEach(async () => {
    p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() });
    expect((await admin().put('/fields/plan', { label: 'Plan', type: 'text' })).status).toBe(200);
  });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const watch = () => createWorkflow(p.server, { name: 'Watch plan', trigger: { type: 'contact_field_updated', field: 'plan' }, steps: [] });
  const finished = (runId: string) => waitFor(`run ${runId} to end`, async () => {
    const run = Run.parse((await admin().get(`/runs/${runId}`)).body);
    return ['completed', 'failed'].includes(run.status) ? run : undefined;
  });
  const setPlan: StepInput = { id: 'plan', type: 'update_contact_field', config: { field: 'plan', value: 'enterprise' } };
  /** Chatwoot's contact_updated for what its contact holds now, its custom attributes changed. */
  const attributesUpdated = (cw: CwStandinContact, previous: Record<string, unknown>) => p.hook(p.cw.contactPayload(cw.id, 'contact_updated', {
    custom_attributes: { previous_value: previous, current_value: cw.custom_attributes },
    updated_at: { previous_value: new Date(Date.now() - 1000).toISOString(), current_value: new Date().toISOString() },
  }));

  /** Jane, plan "pro" in Chatwoot, mirrored here (her field copied before any watcher exists). */
  async function mirroredJane() {
    const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com', custom_attributes: { plan: 'pro' } });
    expect((await p.hook(p.cw.contactPayload(jane.id, 'contact_created'))).status).toBe(200);
    return jane;
  }

  /** Jane opens a conversation and a workflow sets her plan on it: the finished run. */
  async function runOnChatwoot(jane: CwStandinContact) {
    const flow = await createWorkflow(p.server, { name: 'Upgrade', trigger: { type: 'conversation_opened' }, steps: [setPlan] });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Hi', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    const [started] = await runsOf(p.server, flow.id);
    return finished(started!.id);
  }
  const planEvents = async () => (await eventsOf(p.server, 'contact.field_updated')).filter((e) => e.payload.oldValue === 'pro');

  it('an echo that comes before Chatwoot answers the PUT is not an agent\'s change: the watcher runs once, caused by the workflow', async () => {
    const jane = await mirroredJane();
    const watcher = await watch();
    p.cw.beforeNextContactAnswer = async (id) => {
      expect((await attributesUpdated(p.cw.contacts.get(id)!, { plan: 'pro' })).status).toBe(200);
    };
    const run = await runOnChatwoot(jane);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(p.cw.beforeNextContactAnswer).toBeUndefined();
    expect(p.cw.contacts.get(jane.id)!.custom_attributes).toEqual({ plan: 'enterprise' });
    expect((Contact.parse((await admin().get(`/contacts/${run.contactId}`)).body)).fields).toEqual({ plan: 'enterprise' });
    // Delivered again after the answer (Chatwoot retries, or a second job): still nothing new.
    expect((await attributesUpdated(jane, { plan: 'pro' })).status).toBe(200);
    expect(await runsOf(p.server, watcher.id)).toHaveLength(1);
    expect(await planEvents()).toMatchObject([{ source: 'workflow', payload: { field: 'plan', oldValue: 'pro', newValue: 'enterprise' } }]);
  });

  it('a write Chatwoot refuses puts the old value back: an agent then setting the same value in Chatwoot is news', async () => {
    const jane = await mirroredJane();
    const watcher = await watch();
    p.cw.failNext(/^PUT \/api\/v1\/accounts\/1\/contacts\/\d+$/, cwFaults.invalidToken());
    const run = await runOnChatwoot(jane);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^Chatwoot refused the API access token \("Invalid Access Token"\)/);
    expect(jane.custom_attributes).toEqual({ plan: 'pro' });
    expect((Contact.parse((await admin().get(`/contacts/${run.contactId}`)).body)).fields).toEqual({ plan: 'pro' });
    expect(await runsOf(p.server, watcher.id)).toHaveLength(0);

    // An agent upgrades Jane in Chatwoot itself: her field follows, as the agent's change.
    jane.custom_attributes = { plan: 'enterprise' };
    p.cw.touch(jane);
    expect((await attributesUpdated(jane, { plan: 'pro' })).status).toBe(200);
    expect((Contact.parse((await admin().get(`/contacts/${run.contactId}`)).body)).fields).toEqual({ plan: 'enterprise' });
    expect(await runsOf(p.server, watcher.id)).toHaveLength(1);
    expect(await planEvents()).toMatchObject([{ source: 'user', payload: { field: 'plan', newValue: 'enterprise' } }]);
  });
}
