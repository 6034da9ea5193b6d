import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { cwFaults, type ChatwootStandin, type CwStandinContact } from '../../support/chatwoot-standin';
import { createWorkflow, runsOf } from '../engine-support';
import { eventsOf, startChatwootPair, type ChatwootPair } from './harness';

/**
 * An agent's edit of a contact that lives in Chatwoot (PATCH /contacts/:id, the built-in inbox's
 * contact panel) is made in Chatwoot, then here, or not at all: Chatwoot's refusal or absence is
 * the caller's error and nothing changes, and Chatwoot's contact_updated echo of the edit (before
 * or after its answer) fires nothing again. Registered by contact-edit.test.ts (SQLite) and
 * contact-edit.pg.test.ts (PostgreSQL: the echo waits for the mirror's lock).
 */
export function chatwootContactEditSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  let agent: { user: { id: string }; token: string };
  let jane: CwStandinContact;
  let janeId: string;
  beforeEach(async () => {
    p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() });
    expect((await admin().put('/fields/plan', { label: 'Plan', type: 'text' })).status).toBe(200);
    agent = await p.server.createUser('agent');
    // Known from Chatwoot's contact_created alone: no conversation with her, open or closed.
    jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com', custom_attributes: { plan: 'pro' } });
    expect((await p.hook(p.cw.contactPayload(jane.id, 'contact_created'))).status).toBe(200);
    janeId = Contact.parse((await admin().get('/contacts?email=jane@example.com')).body.contacts[0]).id;
    p.cw.requests.length = 0;
  });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const edit = (body: Record<string, unknown>) => p.server.api(agent.token).patch(`/contacts/${janeId}`, body);
  const janeHere = async () => Contact.parse((await admin().get(`/contacts/${janeId}`)).body);
  const puts = () => p.cw.requests.filter((r) => r.method !== 'GET').map((r) => [`${r.method} ${r.path}`, r.body]);
  const watch = (field: string) => createWorkflow(p.server, { name: `Watch ${field}`, trigger: { type: 'contact_field_updated', field }, steps: [] });
  /** Chatwoot's contact_updated for what its contact holds now (Contact#webhook_data, changes from previous_changes). */
  const contactUpdated = (cw: CwStandinContact, changed: Record<string, [unknown, unknown]>) => p.hook(p.cw.contactPayload(cw.id, 'contact_updated', {
    ...Object.fromEntries(Object.entries(changed).map(([k, [previous_value, current_value]]) => [k, { previous_value, current_value }])),
    updated_at: { previous_value: new Date(Date.now() - 1000).toISOString(), current_value: new Date().toISOString() },
  }));
  const echo = (cw: CwStandinContact) => contactUpdated(cw, {
    name: ['Jane Doe', cw.name], email: ['jane@example.com', cw.email], phone_number: [null, cw.phone_number], custom_attributes: [{ plan: 'pro' }, cw.custom_attributes],
  });

  it.each(['after', 'before'] as const)('an agent\'s edit is made in Chatwoot, then here; its echo %s Chatwoot\'s answer starts nothing again', async (when) => {
    const watchers = await Promise.all(['firstName', 'email', 'phone', 'plan'].map(watch));
    if (when === 'before') p.cw.beforeNextContactAnswer = async (id) => { expect((await echo(p.cw.contacts.get(id)!)).status).toBe(200); };
    const res = await edit({ firstName: 'Janet', email: 'Janet@Example.com', phone: '+1 415 555 0199', fields: { plan: 'enterprise' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ firstName: 'Janet', lastName: 'Doe', email: 'janet@example.com', phone: '+14155550199', fields: { plan: 'enterprise' } });
    expect(puts()).toEqual([[`PUT /api/v1/accounts/1/contacts/${jane.id}`, { name: 'Janet Doe', email: 'janet@example.com', phone_number: '+14155550199', custom_attributes: { plan: 'enterprise' } }]]);
    expect(p.cw.contacts.get(jane.id)).toMatchObject({ name: 'Janet Doe', email: 'janet@example.com', phone_number: '+14155550199', custom_attributes: { plan: 'enterprise' } });
    expect(p.cw.beforeNextContactAnswer).toBeUndefined();
    if (when === 'after') expect(await echo(jane)).toMatchObject({ status: 200, body: { handled: true, duplicate: false } });

    expect(await janeHere()).toMatchObject({ firstName: 'Janet', email: 'janet@example.com', phone: '+14155550199', fields: { plan: 'enterprise' } });
    for (const w of watchers) expect(await runsOf(p.server, w.id)).toHaveLength(1);
    // Her plan copied from Chatwoot when she was first seen is not this edit.
    const changes = (await eventsOf(p.server, 'contact.field_updated')).filter((e) => e.payload.newValue !== 'pro');
    expect(changes.map((e) => [e.payload.field, e.source, e.payload.by])).toEqual([
      ['firstName', 'user', agent.user.id], ['phone', 'user', agent.user.id], ['email', 'user', agent.user.id], ['plan', 'user', agent.user.id],
    ]);
  });

  it('an email another Chatwoot contact has: 409 with Chatwoot\'s reason, nothing changes; the agent\'s later change there still comes here', async () => {
    const watcher = await watch('email');
    // One another contact here has is refused as before, without asking Chatwoot.
    expect((await admin().post('/contacts', { firstName: 'Ray', phone: '+14155550199' })).status).toBe(201);
    const taken = await edit({ phone: '+1 415 555 0199', fields: { plan: 'enterprise' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toBe('A contact with phone +14155550199 already exists');
    expect(puts()).toEqual([]);

    const other = p.cw.addContact({ name: 'Other Person', email: 'other@example.com' });
    const res = await edit({ email: 'other@example.com', fields: { plan: 'enterprise' } });
    expect(res.status).toBe(409);
    const reason = `Chatwoot refused this change to its contact ${jane.id} ("Email has already been taken"): another Chatwoot contact has this email (if they are the same person, merge the two in Chatwoot)`;
    expect(res.body).toEqual({ error: { code: 'chatwoot_refused', message: `${reason}. Nothing was changed, here or in Chatwoot`, details: [{ path: 'body.email', message: reason }] } });
    expect(p.cw.contacts.get(jane.id)).toMatchObject({ email: 'jane@example.com', custom_attributes: { plan: 'pro' } });
    expect(await janeHere()).toMatchObject({ email: 'jane@example.com', fields: { plan: 'pro' } });
    expect(await runsOf(p.server, watcher.id)).toHaveLength(0);

    // Later the other contact lets the address go and an agent gives it to Jane in Chatwoot.
    other.email = null;
    jane.email = 'other@example.com';
    expect((await contactUpdated(jane, { email: ['jane@example.com', 'other@example.com'] })).status).toBe(200);
    expect((await janeHere()).email).toBe('other@example.com');
    expect(await runsOf(p.server, watcher.id)).toHaveLength(1);
  });

  it.each([
    ['not listening', (cw: ChatwootStandin) => cw.down(), 503, /^This contact lives in Chatwoot and Chatwoot cannot take the change now \(Cannot reach Chatwoot at http:\/\/127\.0\.0\.1:\d+: .+\)\. Nothing was changed, here or in Chatwoot; try again in a moment$/],
    ['answering 503 (nginx while it restarts)', (cw: ChatwootStandin) => cw.failNext(/^PUT /, cwFaults.unavailable()), 503, /^This contact lives in Chatwoot and Chatwoot cannot take the change now \(Chatwoot answered HTTP 503 to PUT \/api\/v1\/accounts\/1\/contacts\/\d+: 503 Service Temporarily Unavailable\)\. Nothing was changed, here or in Chatwoot; try again in a moment$/],
    ['answering 502', (cw: ChatwootStandin) => cw.failNext(/^PUT /, cwFaults.badGateway()), 502, /^Chatwoot did not answer this change \(Chatwoot answered HTTP 502 .+\)\. It may have been saved in Chatwoot all the same: look there before trying again .+\. Nothing was changed here$/],
  ])('Chatwoot %s: the agent is told so and nothing is written here alone', async (_, fail, status, message) => {
    const watcher = await watch('firstName');
    await fail(p.cw);
    const res = await edit({ firstName: 'Janet' });
    if (status === 503 && p.cw.requests.length === 0) await p.cw.up();
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe('chatwoot_unavailable');
    expect(res.body.error.message).toMatch(message);
    if (status === 503) expect(res.headers.get('retry-after')).toBe('30');
    expect((await janeHere()).firstName).toBe('Jane');
    expect(await runsOf(p.server, watcher.id)).toHaveLength(0);
  });

  it('sends Chatwoot only what changes there: a cleared field, not the lifecycle, nothing for a contact it does not have', async () => {
    expect((await admin().put('/settings/lifecycle-stages', { stages: ['Lead', 'Customer'] })).status).toBe(200);
    expect((await edit({ lifecycle: 'Customer', firstName: 'Jane' })).status).toBe(200);
    expect(puts()).toEqual([]);
    expect((await edit({ fields: { plan: null } })).status).toBe(200);
    expect(puts()).toEqual([[`PUT /api/v1/accounts/1/contacts/${jane.id}`, { custom_attributes: { plan: null } }]]);
    expect(jane.custom_attributes).toEqual({ plan: null });
    expect(await janeHere()).toMatchObject({ lifecycle: 'Customer', fields: {} });

    const bob = Contact.parse((await admin().post('/contacts', { firstName: 'Bob' })).body);
    expect((await p.server.api(agent.token).patch(`/contacts/${bob.id}`, { email: 'bob@example.com', fields: { plan: 'pro' } })).status).toBe(200);
    expect(puts()).toHaveLength(1);
  });
}
