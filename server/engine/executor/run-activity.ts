import type { StepLogEntry } from '../../../lib/contracts/runs';
import { addActivity, capitalized, workflowNamed, type ActivityLine } from '../../domain/activity';
import type { UnitOfWork } from '../../events/unit-of-work';
import type { Services } from '../../services';
import { cachedVersionName, loadVersionName } from './definitions';
import type { RunFence } from './checkpoint';
import type { NextState } from './transition';
import { failedAt, threadReason } from './thread-reason';

/**
 * What a checkpoint says in the run's conversation (its activity line, one per run: domain/activity.ts).
 * Most checkpoints say nothing there, so the test whether one is due (runLineDue) builds nothing
 * and awaits nothing: a run round pays no string and no promise per run for it.
 * - failed: "Workflow “X” failed at step “s”: <reason>";
 * - a step put off for later (step-retry.ts): "Workflow “X” is waiting to try step “s” again at
 *   <time> (<reason>)", the same line updated at each try;
 * <reason>: the step's error as agents may read it (thread-reason.ts; the run log keeps it whole);
 * - that step went through on a later try (in the log entries since `since`): the line says so,
 *   rather than promising a try that will not come.
 * `at` in the text is ISO 8601 (UTC); the inbox shows it in the agent's time.
 */
export function runLineDue(next: NextState, since: number | undefined): boolean {
  return next.status === 'failed' || retryingNow(next) || throughAt(next, since) > 0;
}

const retryingNow = (next: NextState) => next.status === 'waiting' && next.stepLog[next.stepLog.length - 1]?.status === 'retrying';

/** The log entry since `since` of a step that went through after being put off, else -1. */
function throughAt(next: NextState, since: number | undefined): number {
  if (since === undefined) return -1;
  const log = next.stepLog;
  for (let i = Math.max(1, since); i < log.length; i++) {
    const before = log[i - 1]!;
    if (before.status === 'retrying' && log[i]!.stepId === before.stepId && log[i]!.status !== 'retrying') return i;
  }
  return -1;
}

/** The line's text (null: none due). */
export function runLineText(workflowName: string | null, next: NextState, since: number | undefined): string | null {
  const workflow = () => capitalized(workflowNamed(workflowName));
  if (next.status === 'failed') return `${workflow()} failed${failedAt(next)}: ${threadReason(next.error)}`;
  if (next.status === 'waiting' && retryingNow(next)) {
    const last = next.stepLog[next.stepLog.length - 1]!;
    return `${workflow()} is waiting to try step “${last.stepId}” again at ${next.wakeAt}${last.error ? ` (${threadReason(last.error)})` : ''}`;
  }
  const i = throughAt(next, since);
  return i > 0 ? `${workflow()}: step “${next.stepLog[i]!.stepId}” went through on try ${triesOf(next.stepLog, i) + 1}` : null;
}

/** How many times the step before entry `i` was put off in a row. */
function triesOf(log: readonly StepLogEntry[], i: number): number {
  let n = 0;
  for (let j = i - 1; j >= 0 && log[j]!.status === 'retrying' && log[j]!.stepId === log[i]!.stepId; j--) n++;
  return n;
}

/** A checkpoint whose run has a line to write: only a run that has a conversation, and only when one is due. */
export const hasRunLine = (fence: RunFence, next: NextState, since: number | undefined) =>
  !!fence.conversationId && fence.version !== undefined && runLineDue(next, since);

/**
 * The lines of checkpoints that have one (hasRunLine), in the checkpoint's transaction and in one
 * statement however many (a round of runs retrying in an outage); the workflows' names come from
 * the version cache their steps were loaded through.
 */
export async function writeRunLines(uow: UnitOfWork, services: Services, due: readonly { fence: RunFence; next: NextState; since?: number }[]): Promise<void> {
  const lines: ActivityLine[] = [];
  for (const { fence, next, since } of due) {
    const cached = cachedVersionName(fence.workflowId, fence.version!);
    const name = cached !== undefined ? cached : await loadVersionName(uow.trx, fence.workflowId, fence.version!);
    lines.push({
      conversationId: fence.conversationId!, contactId: fence.contactId, text: runLineText(name, next, since)!, runId: fence.id,
      author: { type: 'workflow', id: fence.workflowId, name },
    });
  }
  await addActivity(uow, services, lines);
}
