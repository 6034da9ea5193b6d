import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { Run } from '../../../lib/contracts/runs';
import { SendMessageConfig, type Step } from '../../../lib/contracts/steps';
import { waitFor } from '../../support/wait';
import { BY_ANOTHER_RUN, driveOutsideStep, OPENED_FIRST } from '../drive-outside-step';
import { createWorkflow, runsOf } from '../engine-support';
import { janeLabelled, startChatwootPair, type ChatwootPair } from './harness';

// Two runs of a Chatwoot contact, both begun while the conversation was closed: the first reopens
// it in Chatwoot (toggle_status open) and posts; the second, whose step comes after, posts in the
// same conversation. It toggled Chatwoot again and its log said it had opened the conversation.

let p: ChatwootPair;
beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
afterEach(async () => { await p.close(); });
const posts = (suffix: string) => p.cw.requests.filter((r) => r.method !== 'GET' && r.path.endsWith(suffix));
const admin = () => p.server.api(p.server.adminToken);

it('a run whose step comes after another run reopened the Chatwoot conversation posts there without reopening it again', async () => {
  const flow = await createWorkflow(p.server, {
    name: 'close then follow up', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
    steps: [{ id: 'close', type: 'close_conversation', config: { summary: 'done' } }, { id: 'send', type: 'send_message', config: { text: 'Your refund is on its way' } }],
  });
  const { conv } = await janeLabelled(p);
  const run = await waitFor('the first run to end', async () => {
    const [r] = await runsOf(p.server, flow.id);
    return r && ['completed', 'failed'].includes(r.status) ? Run.parse((await admin().get(`/runs/${r.id}`)).body) : undefined;
  });
  expect(run.status, run.error ?? '').toBe('completed');
  expect(run.stepLog[1]!.notes).toContainEqual(expect.stringMatching(OPENED_FIRST));
  expect(posts('/toggle_status').map((r) => r.body)).toEqual([{ status: 'resolved' }, { status: 'open' }]);

  // The second run looked while it was closed; its step comes now.
  const companion = Contact.parse((await admin().get(`/contacts/${run.contactId}`)).body);
  const step = { id: 'send', type: 'send_message', config: SendMessageConfig.parse({ text: 'How did we do?' }) } as Step;
  const { outcome, notes } = await driveOutsideStep(p.server.app.services, companion, step);
  expect(outcome).toMatchObject({ kind: 'next' });
  expect(notes).toContainEqual(expect.stringMatching(BY_ANOTHER_RUN));
  expect(posts('/toggle_status').map((r) => r.body)).toEqual([{ status: 'resolved' }, { status: 'open' }]);
  expect(posts('/messages').map((r) => [r.path.split('/').at(-2), r.body.content])).toEqual([[String(conv.id), 'Your refund is on its way'], [String(conv.id), 'How did we do?']]);
  const open = (await admin().get(`/conversations?contactId=${companion.id}&status=open`)).body.conversations;
  expect(open).toMatchObject([{ externalId: String(conv.id) }]);
});
