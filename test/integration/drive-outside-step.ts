import { expect } from 'vitest';
import type { Contact } from '../../lib/contracts/contacts';
import type { Step } from '../../lib/contracts/steps';
import { buildStepContext } from '../../server/engine/executor/step-context';
import type { StepDefinition } from '../../server/engine/steps/define';
import { stepRegistry } from '../../server/engine/steps/registry';
import { inTransaction, type UnitOfWork } from '../../server/events/unit-of-work';
import { nowIso } from '../../server/ids';
import type { Services } from '../../server/services';
import { insertRun, insertWorkflow, makeWorkflow } from '../support/builders';

/**
 * A run's step that opens the conversation first, driven by hand as the engine runs an outside
 * step: the engine has looked and found none open (`conversation: null`). `beforeOpen` runs when
 * the step begins its first transaction, which for these steps is the open itself: another run
 * opening just then is a race built without timing.
 */
export async function driveOutsideStep(services: Services, contact: Contact, step: Step, beforeOpen?: () => Promise<void>) {
  const { id: workflowId } = await insertWorkflow(services.db, makeWorkflow({ steps: [step] }));
  // Parked far ahead, so the worker leaves it to the test.
  const runId = await insertRun(services.db, { workflowId, contactId: contact.id, status: 'waiting', wakeAt: '2999-01-01T00:00:00.000Z' });
  let hooked = !beforeOpen;
  const db = async <R>(fn: (uow: UnitOfWork) => Promise<R>): Promise<R> => {
    if (!hooked) { hooked = true; await beforeOpen!(); }
    return inTransaction(services.db, fn);
  };
  const notes: string[] = [];
  const ctx = buildStepContext({
    services, step, contact, conversation: null, idempotencyKey: `${runId}:${step.id}`, notes, effects: services.db, outside: true, canRetry: true, db,
    run: { id: runId, workflowId, workflowVersion: 1, contactId: contact.id, conversationId: null, depth: 0, waitedOn: false, variables: {}, now: nowIso() },
  });
  const outcome = await (stepRegistry[step.type] as StepDefinition).run(ctx);
  expect(hooked, 'the step to begin a transaction').toBe(true);
  return { outcome, notes };
}

export const OPENED_FIRST = /^The contact had no open conversation: this step opened cnv_\w+ first/;
export const BY_ANOTHER_RUN = /^The contact had no open conversation when this step began; cnv_\w+ was opened by another run meanwhile, and this step acted in it$/;
