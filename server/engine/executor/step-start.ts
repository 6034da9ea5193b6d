import type { Conversation } from '../../../lib/contracts/conversations';
import type { Step } from '../../../lib/contracts/steps';
import { nowIso } from '../../ids';
import type { Executor } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import type { RunView, StepDefinition } from '../steps/define';
import type { RunState } from './transition';

/**
 * What a step starts with, the same whether its run executes alone or in a group round: the run
 * as the step sees it, the start time, and the idempotency key of this execution (`run:step`,
 * plus `:n` when a jump brings the run back to the same step an n-th time).
 */
export function startStep(row: RunsTable, state: RunState, step: Step, waitedOn = false): { run: RunView; startedAt: string; idempotencyKey: string } {
  const startedAt = nowIso();
  const run: RunView = {
    id: row.id, workflowId: row.workflow_id, workflowVersion: row.workflow_version, contactId: row.contact_id,
    conversationId: row.conversation_id, depth: row.depth, waitedOn, variables: state.variables, now: startedAt,
  };
  // A retry is the same execution again (its outside effect keeps its key); a jump back is a new one.
  const repeats = state.stepLog.filter((e) => e.stepId === step.id && e.status !== 'retrying').length;
  const idempotencyKey = repeats === 0 ? `${row.id}:${step.id}` : `${row.id}:${step.id}:${repeats + 1}`;
  return { run, startedAt, idempotencyKey };
}

/** Whether the step calls an outside system for this conversation and contact (then it runs outside a transaction). */
export function runsOutside(definition: Pick<StepDefinition, 'outside'>, conversation: Conversation | null, contact: { contactId: string; db: Executor; config?: unknown }): boolean | Promise<boolean> {
  if (typeof definition.outside !== 'function') return Boolean(definition.outside);
  // A plain answer stays plain: a round's step then costs no promise (bench/RESULTS.md, thirty-fourth session).
  const answer = definition.outside(conversation, contact);
  return typeof answer === 'boolean' ? answer : answer.then(Boolean);
}
