import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import type { CwStandinConversation } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow } from '../engine-support';
import { janeWritesIn, startChatwootPair, type ChatwootPair } from './harness';

const FAULT = 'the database went away (test)';

/**
 * Ask a Question on a Chatwoot conversation whose question went out, while the database then
 * refuses the one write that follows the send (the question's copy here taking the ask's key, so
 * a reply quoting it finds it): the customer has the question, so the run waits for the answer
 * and takes it, and its log says what could not be written. The step failed as "not asked" and
 * the wait was deleted, so the answer went nowhere. The fault is a trigger on that UPDATE, as a
 * failover or a lock timeout would refuse it. Registered by ask-key-fault.test.ts (SQLite) and
 * ask-key-fault.pg.test.ts (PostgreSQL).
 */
export function askKeyFaultSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  let conv: CwStandinConversation;
  let contactId: string;
  let conversationId: string;
  beforeEach(async () => {
    p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() });
    ({ conv, contactId } = await janeWritesIn(p));
    conversationId = (await admin().get(`/conversations?contactId=${contactId}`)).body.conversations[0].id;
    await refuseAskKeys();
  });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const runOf = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);
  async function refuseAskKeys() {
    const db = p.server.store.db;
    if (databaseUrl()) {
      await sql.raw(`create function f_code_refuse_ask_key() returns trigger language plpgsql as $$ begin raise exception '${FAULT}'; end $$`).execute(db);
      await sql`create trigger f_code_refuse_ask_key before update of send_key on messages for each row when (new.send_key like '%:ask') execute function f_code_refuse_ask_key()`.execute(db);
    } else {
      await sql.raw(`create trigger f_code_refuse_ask_key before update of send_key on messages when new.send_key like '%:ask' begin select raise(abort, '${FAULT}'); end`).execute(db);
    }
  }

  it('the question went out: the run waits for the answer, takes it, and its log says the copy here was not marked', async () => {
    const flow = await createWorkflow(p.server, {
      name: 'Size', trigger: { type: 'manual' },
      steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Which size?', answerType: 'choice', choices: ['Small', 'Large'], presentation: 'text', saveToVariable: 'size', timeoutSeconds: 3600 } }],
    });
    const started = await admin().post(`/workflows/${flow.id}/start`, { contact: { id: contactId } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const runId = started.body.runIds[0] as string;
    const asked = await waitFor('the ask to settle', async () => {
      const r = await runOf(runId);
      return r.status === 'waiting' || r.status === 'failed' ? r : undefined;
    });
    expect(asked.status, asked.error ?? '').toBe('waiting');
    expect(conv.messages.filter((m) => m.content.startsWith('Which size?'))).toHaveLength(1);
    expect(asked.stepLog.at(-1)!.notes).toContainEqual(expect.stringContaining(`could not be marked as this question’s (${FAULT})`));
    expect((await admin().get(`/conversations/${conversationId}/awaiting-answer`)).body.awaitingAnswer).toMatchObject({ runId });

    const reply = { id: 78_001, content: 'Large', message_type: 0 as const, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' as const };
    conv.messages.push(reply);
    p.cw.touch(conv);
    expect((await p.hook(p.cw.messagePayload(conv.id, reply.id))).status).toBe(200);
    const done = await waitFor('the answer', async () => {
      const r = await runOf(runId);
      return ['completed', 'failed'].includes(r.status) ? r : undefined;
    });
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', answer: 'Large' });
    // Sent once: the wake-up with the answer did not ask again.
    expect(conv.messages.filter((m) => m.content.startsWith('Which size?'))).toHaveLength(1);
  });
}
