import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

// Chatwoot labels belong to one conversation, the companion's tags to the contact. The Update
// Contact Tag step on a Chatwoot conversation changes the contact's tags whatever that
// conversation's labels are, and writes the labels as far as Chatwoot allows.

const labelPosts = (p: ChatwootPair) => p.cw.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/labels')).map((r) => r.body);

describe('tag steps on a Chatwoot conversation change the contact’s tags', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
  afterEach(async () => { await p.close(); });
  const admin = () => p.server.api(p.server.adminToken);

  async function finishedRuns(workflowId: string, count: number) {
    return waitFor(`${count} finished runs`, async () => {
      const runs = await runsOf(p.server, workflowId);
      const done = await Promise.all(runs.map(async (r) => Run.parse((await admin().get(`/runs/${r.id}`)).body)));
      return done.length === count && done.every((r) => ['completed', 'failed'].includes(r.status)) ? done : undefined;
    });
  }

  /** Jane's refund conversation, labelled and resolved, then her open one labelled shipping. */
  async function janeWithHistory() {
    const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
    const earlier = p.cw.addConversation({ contactId: contact.id, labels: ['refund'], firstMessage: { content: 'Refund please', incoming: true } });
    await p.hook(p.cw.conversationPayload(earlier.id, 'conversation_created'));
    earlier.status = 'resolved'; p.cw.touch(earlier);
    await p.hook(p.cw.conversationPayload(earlier.id, 'conversation_status_changed', null));
    const open = p.cw.addConversation({ contactId: contact.id, labels: ['shipping'], firstMessage: { content: 'Where is it?', incoming: true } });
    await p.hook(p.cw.conversationPayload(open.id, 'conversation_created'));
    const [row] = (await admin().get('/conversations?status=open')).body.conversations;
    expect(row.contact.tags).toEqual(['refund', 'shipping']);
    p.cw.requests.length = 0;
    return { earlier, open, contactId: row.contactId as string };
  }

  it('removes the trigger tag and a tag from an earlier conversation, so re-adding the trigger tag starts it again', async () => {
    const flow = await createWorkflow(p.server, {
      name: 'untag', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['untag'] },
      steps: [{ id: 'remove', type: 'update_contact_tag', config: { action: 'remove', tags: ['Refund', 'untag'] } }],
    });
    const { open, contactId } = await janeWithHistory();
    expect((await admin().post(`/contacts/${contactId}/tags`, { tags: ['untag'] })).status).toBe(200);
    const [run] = await finishedRuns(flow.id, 1);
    expect(run!.status, run!.error ?? '').toBe('completed');
    const step = run!.stepLog.find((e) => e.stepId === 'remove')!;
    expect(step.output).toMatchObject({ action: 'remove', changed: ['refund', 'untag'], labelsChanged: [], labels: ['shipping'] });
    expect(step.notes).toContainEqual(`Not a label of Chatwoot conversation ${open.id}: "refund", "untag"; removed from the contact in the companion`);
    expect(labelPosts(p)).toEqual([]);
    expect((await admin().get(`/contacts/${contactId}`)).body.tags).toEqual(['shipping']);

    // A sync reads the conversations again: the earlier one's label is not the contact's tag again.
    expect((await admin().post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);
    expect((await admin().get(`/contacts/${contactId}`)).body.tags).toEqual(['shipping']);

    expect((await admin().post(`/contacts/${contactId}/tags`, { tags: ['untag'] })).status).toBe(200);
    const again = await finishedRuns(flow.id, 2);
    expect(again.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect((await admin().get(`/contacts/${contactId}`)).body.tags).toEqual(['shipping']);
  });

  it('removes a label the conversation has from Chatwoot and the contact alike', async () => {
    const flow = await createWorkflow(p.server, {
      name: 'done', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['done'] },
      steps: [{ id: 'remove', type: 'update_contact_tag', config: { action: 'remove', tags: ['SHIPPING', 'refund'] } }],
    });
    const { open, contactId } = await janeWithHistory();
    await admin().post(`/contacts/${contactId}/tags`, { tags: ['done'] });
    const [run] = await finishedRuns(flow.id, 1);
    expect(run!.stepLog.find((e) => e.stepId === 'remove')!.output).toMatchObject({ changed: ['refund', 'shipping'], labelsChanged: ['shipping'], labels: [] });
    expect(labelPosts(p)).toEqual([{ labels: [] }]);
    expect(open.labels).toEqual([]);
    expect((await admin().get(`/contacts/${contactId}`)).body.tags).toEqual(['done']);
  });

  it('adds the tag to the contact when the conversation has the label already, or the account defines no such label', async () => {
    const flow = await createWorkflow(p.server, {
      name: 'go', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
      steps: [{ id: 'add', type: 'update_contact_tag', config: { action: 'add', tags: ['SHIPPING', 'Not-In-Chatwoot'] } }],
    });
    const { contactId } = await janeWithHistory();
    // Taken off the contact here; the open conversation keeps its label in Chatwoot.
    expect((await admin().del(`/contacts/${contactId}/tags/shipping`)).status).toBe(200);
    await admin().post(`/contacts/${contactId}/tags`, { tags: ['go'] });
    const [run] = await finishedRuns(flow.id, 1);
    expect(run!.status, run!.error ?? '').toBe('completed');
    const step = run!.stepLog.find((e) => e.stepId === 'add')!;
    expect(step.output).toMatchObject({ changed: ['shipping', 'Not-In-Chatwoot'], labelsChanged: [], labels: ['shipping'] });
    expect(step.notes).toContainEqual(expect.stringMatching(/kept no label "Not-In-Chatwoot".*Settings → Labels\); the contact has the tag in the companion only$/));
    expect(labelPosts(p)).toEqual([{ labels: ['shipping', 'not-in-chatwoot'] }]);
    expect((await admin().get(`/contacts/${contactId}`)).body.tags).toEqual(['refund', 'go', 'shipping', 'Not-In-Chatwoot']);
  });
});
