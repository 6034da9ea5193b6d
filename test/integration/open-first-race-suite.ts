import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StepInput } from '../../lib/contracts/steps';
import { buildStepContext } from '../../server/engine/executor/step-context';
import { RetryLaterError, type StepDefinition } from '../../server/engine/steps/define';
import { stepRegistry } from '../../server/engine/steps/registry';
import { inTransaction } from '../../server/events/unit-of-work';
import { nowIso } from '../../server/ids';
import { insertContact, insertWorkflow, makeWorkflow } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Registered by open-first-race.test.ts (SQLite) and .pg.test.ts (PostgreSQL). The engine runs a
 * step that must open the conversation first outside its transaction; when the conversation closes
 * just as the step begins, the step finds none inside the transaction the engine chose. Opening one
 * there read the database beside that transaction: on SQLite the read waited for the transaction,
 * which waited for the read (the run hung); on PostgreSQL the read did not see the open and the step
 * failed. It is put off to its next try instead, which runs outside and opens it.
 */
export function openFirstRaceSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  beforeEach(async () => { server = await startTestServer({ databaseUrl: databaseUrl(), workers: false }); });
  afterEach(async () => { await server.close(); });

  it.each([
    ['send_message', { text: 'Hi' }],
    ['assign_to', { userId: 'usr_later' }],
    ['ask_question', { question: 'Your order number?', answerType: 'text' }],
  ] as const)('%s in the transaction with no conversation open is put off to its next try, opening nothing', async (type, config) => {
    const services = server.app.services;
    const { contact } = await insertContact(services, { open: false });
    const workflow = makeWorkflow({ steps: [{ id: 's', type, config } as StepInput] });
    const { id: workflowId } = await insertWorkflow(services.db, workflow);
    const step = workflow.steps[0]!;
    const outcome = inTransaction(services.db, async (uow) => {
      const ctx = buildStepContext({
        services, step, contact, conversation: null, idempotencyKey: `run_race:${step.id}`, notes: [], effects: uow.trx, canRetry: true,
        run: { id: 'run_race', workflowId, workflowVersion: 1, contactId: contact.id, conversationId: null, depth: 0, waitedOn: false, variables: {}, now: nowIso() },
        db: (fn) => fn(uow),
      });
      return (stepRegistry[type] as StepDefinition).run(ctx);
    });
    await expect(outcome).rejects.toBeInstanceOf(RetryLaterError);
    await expect(outcome).rejects.toThrow('The contact’s conversation closed as this step began: it opens one on its next try');
    expect(await services.db.selectFrom('conversations').select('id').where('contact_id', '=', contact.id).execute()).toEqual([]);
  }, 5_000);
}
