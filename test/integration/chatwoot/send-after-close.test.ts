import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { janeLabelled, startChatwootPair, type ChatwootPair } from './harness';

// A Send message after the conversation was closed, for a contact whose conversations live in
// Chatwoot: as an "Open conversation" step would, it reopens the conversation there first
// (toggle_status open), then posts the message once, under the step's own key.

let p: ChatwootPair;
beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
afterEach(async () => { await p.close(); });
const posts = (suffix: string) => p.cw.requests.filter((r) => r.method !== 'GET' && r.path.endsWith(suffix));

it('closes, then sends without an Open conversation step: Chatwoot reopens the conversation and gets the message once', async () => {
  const flow = await createWorkflow(p.server, {
    name: 'close then follow up', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
    steps: [
      { id: 'close', type: 'close_conversation', config: { summary: 'done' } },
      { id: 'send', type: 'send_message', config: { text: 'Anything else, {{$contact.firstName}}?' } },
    ],
  });
  const { conv } = await janeLabelled(p);
  const [started] = await waitFor('the run', async () => { const r = await runsOf(p.server, flow.id); return r.length ? r : undefined; });
  const run = await waitFor('the run to end', async () => {
    const r = Run.parse((await p.server.api(p.server.adminToken).get(`/runs/${started!.id}`)).body);
    return ['completed', 'failed'].includes(r.status) ? r : undefined;
  });
  expect(run.status, run.error ?? '').toBe('completed');
  expect(posts('/toggle_status').map((r) => r.body)).toEqual([{ status: 'resolved' }, { status: 'open' }]);
  expect(posts('/messages').map((r) => r.body)).toEqual([{ content: 'Anything else, Jane?', message_type: 'outgoing', private: false }]);
  expect(conv.status).toBe('open');
});
