import { expect } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { waitFor } from '../../support/wait';
import { conversationOf, type ChannelWorld } from './support';

// A run that sends to a WhatsApp customer while Meta refuses for now, and the clock it waits on:
// shared by retry-later-suite (throttling, outages) and graph-unreachable-suite (no connection,
// Retry-After).

export const runById = async (w: ChannelWorld, id: string) => Run.parse((await w.server.api(w.server.adminToken).get(`/runs/${id}`)).body);

/**
 * Ana Lima writes in on WhatsApp; a workflow of `steps` runs when the tag `go` is added to her. Its
 * run, started; `w.graph.requests` holds only what came after the workflow was made.
 */
export async function startRunOnAnasConversation(w: ChannelWorld, steps: unknown[]) {
  const admin = w.server.api(w.server.adminToken);
  expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi', name: 'Ana Lima' }))).status).toBe(200);
  const { contact, conversation } = await conversationOf(w.server, `phone=${encodeURIComponent('+14155550123')}`);
  const wf = await w.tagWorkflow(steps);
  w.graph.requests.length = 0;
  expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBeLessThan(300);
  const [run] = await waitFor('the run', async () => { const r = (await admin.get(`/workflows/${wf}/runs`)).body.runs; return r.length ? r : undefined; });
  return { conversation: conversation as { id: string }, runId: run.id as string };
}

/** The run once it ended, or waits with this many retries and a wake time still ahead (not the one `wakeTimeComes` just made due). */
export const runSettled = (w: ChannelWorld, id: string, retries: number) => waitFor(`run ${id} after ${retries} retries`, async () => {
  const r = await runById(w, id);
  if (['completed', 'failed', 'cancelled'].includes(r.status)) return r;
  return r.status === 'waiting' && r.stepLog.filter((e) => e.status === 'retrying').length === retries && Date.parse(r.wakeAt!) > Date.now() ? r : undefined;
});

/** The run's wake time comes (set a second ago) and the engine is told. */
export async function wakeTimeComes(w: ChannelWorld, runId: string) {
  await w.server.store.db.updateTable('runs').set({ wake_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', runId).execute();
  w.server.app.services.runSignal.notify();
}
