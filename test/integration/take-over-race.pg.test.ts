import { expect, it } from 'vitest';
import { TakeOverResult } from '../../lib/contracts/conversations';
import { Contact } from '../../lib/contracts/contacts';
import { Run } from '../../lib/contracts/runs';
import type { StepInput } from '../../lib/contracts/steps';
import { eachAdminAndAgentServer } from '../support/each-server';
import { describePg, pgUrl } from '../support/postgres';
import type { Api, TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, shortcutWorkflow } from './engine-support';

// Take over racing the engine on PostgreSQL (several connections at once). The customer answers
// the first run's question at the moment the agent takes over: the first run may end with the
// answer (completed) and a round then start the run queued behind it, while the take over cancels
// that run. Whichever comes first, a run is cancelled whole or runs whole: never cancelled after
// it started asking with its question still waiting, never started after the cancel, and a take
// over that stopped the first run always took the queued one with it.

const ROUNDS = 16;

describePg('take over against a round starting the queued run (PostgreSQL)', () => {
  let server: TestServer;
  let admin: Api;
  let agent: Api;
  eachAdminAndAgentServer(pgUrl, 'Alex Agent', (s, a, g) => { server = s; admin = a; agent = g; }, { poolSize: 10 });

  it('never leaves a run half cancelled, whichever side wins', async () => {
    const wf = await createWorkflow(server, shortcutWorkflow({
      name: 'Ask order', trigger: { type: 'shortcut', name: 'Ask order' },
      steps: [
        { id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', saveToVariable: 'answer' } } as StepInput,
        { id: 'got', type: 'add_comment', config: { text: 'got {{$step.answer}}' } },
      ],
    }));
    const db = server.app.services.db;
    const run = async (id: string) => Run.parse((await admin.get(`/runs/${id}`)).body);
    const outcomes = new Map<string, number>();

    for (let round = 0; round < ROUNDS; round++) {
      const contact = Contact.parse((await admin.post('/contacts', { firstName: `Maria ${round}` })).body);
      const cnv = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
      const launch = async () => (await agent.post(`/shortcuts/${wf.id}/launch`, { conversationId: cnv, values: {} })).body.runId as string;
      const first = await launch();
      const second = await launch();
      await waitFor('the first question', async () => ((await run(first)).status === 'waiting' ? true : undefined));

      // The answer and the take over at once, the answer up to 30 ms ahead (or behind).
      const lead = (round % 4) * 10;
      const answer = async () => admin.post(`/conversations/${cnv}/messages`, { text: `A${round}`, direction: 'incoming' });
      const take = async () => agent.post(`/conversations/${cnv}/awaiting-answer/take-over`, {});
      const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const [answered, taken] = round % 2 === 0
        ? await Promise.all([answer(), delay(lead).then(take)])
        : await Promise.all([delay(lead).then(answer), take()]);
      expect(answered.status).toBe(201);
      expect(taken.status, JSON.stringify(taken.body)).toBe(200);
      const result = TakeOverResult.parse(taken.body);

      // Settled: neither run is queued or in the middle of a step any more.
      const [a, b] = await waitFor('both runs to settle', async () => {
        const both = [await run(first), await run(second)];
        return both.every((r) => r.status !== 'queued' && r.status !== 'running') ? both : undefined;
      });
      expect(['completed', 'cancelled']).toContain(a!.status);
      expect(['waiting', 'cancelled']).toContain(b!.status);
      if (result.stoppedRunId === first) expect(result.cancelledRunIds).toEqual([second]);
      if (result.cancelledRunIds.includes(second)) expect(b!.status).toBe('cancelled');
      const waits = await db.selectFrom('question_waits').select('run_id').where('run_id', 'in', [first, second]).execute();
      const awaiting = (await admin.get(`/conversations/${cnv}/awaiting-answer`)).body.awaitingAnswer;
      const messages = (await admin.get(`/conversations/${cnv}`)).body.messages as { text: string; kind: string }[];
      const asked = b!.stepLog.some((e) => e.stepId === 'ask');
      if (b!.status === 'cancelled') {
        // Cancelled before it started (nothing of it happened) or after it asked (its wait is gone).
        expect(waits.filter((w) => w.run_id === second)).toEqual([]);
        expect(awaiting).toBeNull();
      } else {
        expect(asked).toBe(true);
        expect(awaiting).toMatchObject({ runId: second });
      }
      // Each question on the conversation is a run's recorded ask; the first's answer went to it only if it completed.
      expect(messages.filter((m) => m.text === 'Your order number?')).toHaveLength(asked ? 2 : 1);
      expect(messages.filter((m) => m.kind === 'comment').map((m) => m.text)).toEqual(a!.status === 'completed' ? [`got A${round}`] : []);
      const key = `${a!.status}/${b!.status}${asked ? ' (asked)' : ''}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    // Both sides win sometimes; which ones is up to timing, so this says what happened rather than requiring it.
    expect([...outcomes.values()].reduce((x, y) => x + y, 0)).toBe(ROUNDS);
    if (process.env.SHOW_OUTCOMES) console.log(Object.fromEntries(outcomes));
  });
});
