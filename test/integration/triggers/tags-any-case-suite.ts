import { describe, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import type { StepInput } from '../../../lib/contracts/steps';
import { waitForRun } from '../../support/builders';
import { type Api, type TestServer } from '../../support/server';
import { createWorkflow, runsOf } from '../engine-support';
import { eachAdminServer } from '../../support/each-server';

/** Registered by tags-any-case.test.ts (SQLite) and tags-any-case.pg.test.ts (PostgreSQL): `databaseUrl` undefined means SQLite. */
export function tagsAnyCaseSuite(databaseUrl: () => string | undefined) {
  // A tag is one tag whatever its case ("VIP" is "vip"), and a contact keeps the casing it got
  // first: through the API, tag triggers, the Update Contact Tag step, branches, merges.

  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });

  async function newContact(tags: string[]) {
    const res = await admin.post('/contacts', { firstName: 'Ana', tags });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Contact.parse(res.body);
  }
  const tagsOf = async (id: string) => Contact.parse((await admin.get(`/contacts/${id}`)).body).tags;
  const tagEvents = async (contactId: string) => (await server.events()).filter((e) => e.contactId === contactId && e.type.startsWith('contact.tag_'))
    .map((e) => `${e.type === 'contact.tag_added' ? '+' : '-'}${e.payload.tag}`);

  it('the API keeps one tag per case-insensitive name, in the casing the contact got first', async () => {
    const contact = await newContact(['vip', 'VIP', 'Gold']);
    expect(contact.tags).toEqual(['vip', 'Gold']);

    const added = await admin.post(`/contacts/${contact.id}/tags`, { tags: ['VIP', 'gold', 'New', 'NEW'] });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(Contact.parse(added.body).tags).toEqual(['vip', 'Gold', 'New']);

    const removed = await admin.del(`/contacts/${contact.id}/tags/VIP`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(Contact.parse(removed.body).tags).toEqual(['Gold', 'New']);
    expect(await tagsOf(contact.id)).toEqual(['Gold', 'New']);
    // Only real changes are events, named as the contact holds the tag.
    expect(await tagEvents(contact.id)).toEqual(['+vip', '+Gold', '+New', '-vip']);

    // The workspace's tag list: one entry per tag, as the oldest contact has it.
    await newContact(['NEW', 'Other']);
    expect((await admin.get('/tags')).body).toEqual({ tags: ['Gold', 'New', 'Other'] });
  });

  it('tag triggers match any case; adding a tag the contact has in another case fires nothing', async () => {
    const onAdded = await createWorkflow(server, { name: 'Added', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['VIP'] }, steps: [] });
    const onRemoved = await createWorkflow(server, { name: 'Removed', trigger: { type: 'contact_tag_updated', action: 'removed', tags: ['Vip'] }, steps: [] });
    const contact = await newContact(['vip']);
    const [added] = await runsOf(server, onAdded.id);
    expect((await waitForRun(server.app.services.db, added!.id)).variables.trigger).toMatchObject({ tag: 'vip', action: 'added' });

    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['VIP'] })).status).toBe(200);
    expect(await runsOf(server, onAdded.id)).toHaveLength(1);

    expect((await admin.del(`/contacts/${contact.id}/tags/VIP`)).status).toBe(200);
    const [removed] = await runsOf(server, onRemoved.id);
    expect((await waitForRun(server.app.services.db, removed!.id)).variables.trigger).toMatchObject({ tag: 'vip', action: 'removed' });
  });

  it('the Update Contact Tag step adds and removes in any case, and a branch tests tags in any case', async () => {
    const onVip = await createWorkflow(server, { name: 'VIP', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, steps: [] });
    const tag = (id: string, action: 'add' | 'remove', tags: string[]): StepInput => ({ id, type: 'update_contact_tag', config: { action, tags } });
    const wf = await createWorkflow(server, {
      name: 'Tagging', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
      steps: [
        tag('add', 'add', ['VIP', 'New', 'NEW']),
        tag('drop', 'remove', ['GO']),
        { id: 'check', type: 'branch', config: { branches: [{ name: 'VIP', conditions: { logic: 'and', rules: [{ left: '{{$contact.tags}}', operator: 'has_tag', right: 'VIP' }] }, goTo: 'yes' }], elseGoTo: 'no' } },
        tag('no', 'add', ['branch-no']),
        { id: 'stop', type: 'jump_to', config: { stepId: 'end' } },
        tag('yes', 'add', ['branch-yes']),
        { id: 'end', type: 'add_comment', config: { text: 'done' } },
      ],
    });
    const contact = await newContact(['vip']);
    await admin.post('/conversations', { contactId: contact.id });
    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBe(200);
    const [started] = await runsOf(server, wf.id);
    const run = await waitForRun(server.app.services.db, started!.id);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog.filter((e) => e.stepId === 'add' || e.stepId === 'drop').map((e) => e.output)).toEqual([
      { action: 'add', changed: ['New'] }, { action: 'remove', changed: ['go'] },
    ]);
    expect(await tagsOf(contact.id)).toEqual(['vip', 'New', 'branch-yes']);
    expect(await runsOf(server, onVip.id)).toHaveLength(1); // from creating the contact, not from the step
  });

  it('merging keeps one tag of two that differ in case: the survivor\'s', async () => {
    const survivor = await newContact(['vip']);
    const merged = await newContact(['VIP', 'x']);
    const res = await admin.post(`/contacts/${survivor.id}/merge`, { mergeContactId: merged.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.contact.tags).toEqual(['vip', 'x']);
  });
}
