import type { StepLogEntry } from '../../../lib/contracts/runs';
import { addActivity, capitalized, workflowNamed } from '../../domain/activity';
import type { UnitOfWork } from '../../events/unit-of-work';
import type { Services } from '../../services';
import { cachedVersionName, loadVersionName } from './definitions';
import type { RunFence } from './checkpoint';
import type { NextState } from './transition';

/**
 * What a checkpoint says in the run's conversation (its activity line, one per run: domain/activity.ts),
 * or null for what agents need not be told there: most checkpoints, so most cost nothing.
 * - failed: "Workflow “X” failed: <reason>";
 * - a step put off for later (step-retry.ts): "Workflow “X” is waiting to try step “s” again at
 *   <time> (<reason>)", the same line updated at each try;
 * - that step went through on a later try (in the log entries since `since`): the line says so,
 *   rather than promising a try that will not come.
 * `at` in the text is ISO 8601 (UTC); the inbox shows it in the agent's time.
 */
export function runLineText(workflowName: string | null, next: NextState, since: number | undefined): string | null {
  const workflow = capitalized(workflowNamed(workflowName));
  if (next.status === 'failed') return `${workflow} failed: ${next.error}`;
  const last = next.stepLog.at(-1);
  if (next.status === 'waiting' && last?.status === 'retrying') {
    return `${workflow} is waiting to try step “${last.stepId}” again at ${next.wakeAt}${last.error ? ` (${last.error})` : ''}`;
  }
  if (since === undefined) return null;
  for (let i = Math.max(1, since); i < next.stepLog.length; i++) {
    const before = next.stepLog[i - 1]!;
    const entry = next.stepLog[i]!;
    if (before.status === 'retrying' && entry.stepId === before.stepId && entry.status !== 'retrying') {
      return `${workflow}: step “${entry.stepId}” went through on try ${triesOf(next.stepLog, i) + 1}`;
    }
  }
  return null;
}

/** How many times the step before entry `i` was put off in a row. */
function triesOf(log: readonly StepLogEntry[], i: number): number {
  let n = 0;
  for (let j = i - 1; j >= 0 && log[j]!.status === 'retrying' && log[j]!.stepId === log[i]!.stepId; j--) n++;
  return n;
}

/**
 * The run's line, written in the checkpoint's transaction: only for a run that has a conversation
 * and only when there is something to say (one statement then; the workflow's name comes from the
 * version cache its steps were loaded through).
 */
export async function writeRunLine(uow: UnitOfWork, services: Services, fence: RunFence, next: NextState, since?: number): Promise<void> {
  if (!fence.conversationId || fence.version === undefined) return;
  // Cheap test first: the name is looked up only for a line to write.
  if (runLineText(null, next, since) === null) return;
  const cached = cachedVersionName(fence.workflowId, fence.version);
  const name = cached !== undefined ? cached : await loadVersionName(uow.trx, fence.workflowId, fence.version);
  const text = runLineText(name, next, since)!;
  await addActivity(uow, services, [{
    conversationId: fence.conversationId, contactId: fence.contactId, text, runId: fence.id,
    author: { type: 'workflow', id: fence.workflowId, name },
  }]);
}
