import { afterEach, beforeEach, expect, it } from 'vitest';
import { Run } from '../../../lib/contracts/runs';
import type { CwStandinConversation } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow } from '../engine-support';
import { janeWritesIn, startChatwootPair, type ChatwootPair } from './harness';

/**
 * Two workflows asking one Chatwoot customer at once: a reply quoting a question (Chatwoot's
 * message_created carries `content_attributes.in_reply_to`, the quoted message's id) answers that
 * question, as a quoted WhatsApp message does; a reply quoting nothing (or a message that is no
 * question) answers the question asked last. Over HTTP against the app and the Chatwoot stand-in;
 * registered by ask-quoted-reply.test.ts (SQLite) and ask-quoted-reply.pg.test.ts (PostgreSQL).
 */
export function askQuotedReplySuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  let conv: CwStandinConversation;
  let contactId: string;
  beforeEach(async () => {
    p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() });
    ({ conv, contactId } = await janeWritesIn(p));
  });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const runOf = async (id: string) => Run.parse((await admin().get(`/runs/${id}`)).body);
  /** A workflow asking `config` when started, its run id once the question is in Chatwoot. */
  async function asking(name: string, config: { question: string; answerType: 'choice' | 'number'; choices?: string[]; presentation?: 'text' }, question: string) {
    const flow = await createWorkflow(p.server, {
      name, trigger: { type: 'manual' },
      steps: [{ id: 'ask', type: 'ask_question', config: { ...config, saveToVariable: 'answer', timeoutSeconds: 3600 } }],
    });
    const res = await admin().post(`/workflows/${flow.id}/start`, { contact: { id: contactId } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const runId = res.body.runIds[0] as string;
    await waitFor(`${name} to wait on its question`, async () => ((await runOf(runId)).status === 'waiting' ? true : undefined));
    return { runId, message: conv.messages.find((m) => m.content.startsWith(question))! };
  }
  const ended = (id: string) => waitFor(`run ${id} to end`, async () => {
    const r = await runOf(id);
    return ['completed', 'failed'].includes(r.status) ? r : undefined;
  });
  const notesOf = async (id: string) => (await runOf(id)).stepLog.flatMap((e) => e.notes ?? []);

  it.each([
    ['quoting the earlier question answers it; the later one keeps waiting and its log says where the reply went', 'size'],
    ['quoting an agent\'s message answers the question asked last, as a typed reply does', 'agent'],
  ] as const)('%s', async (_name, quoting) => {
    const size = await asking('Size', { question: 'Which size?', answerType: 'choice', choices: ['Small', 'Large'], presentation: 'text' }, 'Which size?');
    const rating = await asking('Rating', { question: 'Rate us from 1 to 5', answerType: 'number' }, 'Rate us');
    expect(size.message).toBeDefined();
    expect(rating.message).toBeDefined();
    const agent = { id: 76_001, content: 'Thanks for waiting', message_type: 1 as const, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'User' as const };
    conv.messages.push(agent);

    // The customer swipes to reply to a message in WhatsApp (or quotes it in the widget) and types "2".
    const reply = { id: 77_001, content: '2', message_type: 0 as const, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' as const, in_reply_to: quoting === 'size' ? size.message.id : agent.id };
    conv.messages.push(reply);
    p.cw.touch(conv);
    expect((await p.hook(p.cw.messagePayload(conv.id, reply.id))).status).toBe(200);

    const [answered, waiting] = quoting === 'size' ? [size, rating] : [rating, size];
    const done = await ended(answered.runId);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.stepLog.at(-1)!.output).toMatchObject({ outcome: 'answered', answer: quoting === 'size' ? 'Large' : 2 });
    const other = await waitFor('the other question\'s note', async () => ((await notesOf(waiting.runId)).some((n) => n.startsWith('Not this question’s answer')) ? runOf(waiting.runId) : undefined));
    expect(other.status).toBe('waiting');
    expect(await notesOf(waiting.runId)).toContain(quoting === 'size'
      ? `Not this question’s answer: the customer’s message "2" was a reply to the question of workflow “Size” (run ${size.runId}), and went to it: a tapped button or a quoted message answers its own question.`
      : `Not this question’s answer: the customer’s message "2" went to the question that workflow “Rating” (run ${rating.runId}) asked after this one; a typed reply answers the question asked last.`);
  });
}
