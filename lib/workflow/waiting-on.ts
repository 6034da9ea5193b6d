import { waitsToRetry } from './waits-to-retry';

type WaitingRun = { status: string; wakeAt?: string | null; stepLog: readonly { status: string; type: string; error?: string }[] };

/**
 * What a waiting run waits for, in words that follow "Waiting": a step tried again later (the
 * outside system was busy or down), the customer's answer to a question, or a time (a Wait step).
 * Null for a run that is not waiting. No zod here: the content script's toast uses it.
 */
export function waitingText(run: WaitingRun, opts: { reason?: boolean; now?: Date } = {}): string | null {
  if (run.status !== 'waiting') return null;
  const when = run.wakeAt ? whenText(run.wakeAt, opts.now) : null;
  if (waitsToRetry(run)) {
    const reason = opts.reason ? ` (${run.stepLog.at(-1)!.error ?? 'the outside system was busy'})` : '';
    return `to try again${when ? ` at ${when}` : ''}${reason}`;
  }
  // The words of the inbox's own notice (awaitingAnswerText, below): one thing, said one way.
  if (run.stepLog.at(-1)?.type === 'ask_question') return `for the customer’s answer${when ? ` until ${when}` : ''}`;
  return when ? `until ${when}` : null;
}

/** The time alone on the same day; with the date otherwise (a question may wait for days). */
export function whenText(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/**
 * Said wherever an agent writes to a customer a workflow's question waits on (the built-in
 * inbox, the launcher in Chatwoot, the Dashboard App): their next message is the answer.
 */
export function awaitingAnswerText(awaiting: AwaitingWho & { until: string }, now = new Date()): string {
  return `${awaitingWho(awaiting)} is waiting for the customer’s answer (until ${whenText(awaiting.until, now)}): their next message goes to it.`;
}

/**
 * Several questions wait on the customer (the one asked last first): a typed reply goes to that
 * one, a tapped or quoted reply to the question it names (server/domain/question-replies.ts), so
 * the agent sees each one, not only the last, and which one their typed answer would go to.
 */
export function awaitingAnswersText(awaiting: readonly (AwaitingWho & { until: string })[], now = new Date()): string {
  const names = awaiting.map((a, i) => `${awaitingWho(a)} (${i === 0 ? 'asked last: a typed reply goes here, ' : ''}until ${whenText(a.until, now)})`);
  const listed = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `Waiting for the customer’s answer to ${listed}; a tapped or quoted reply goes to its own question.`;
}

type AwaitingWho = { workflowName: string; shortcutName?: string | null };
type Waiting = AwaitingWho & { runId: string; until: string };

/**
 * The questions a notice lists, the one asked last first (a typed reply goes to it; nothing when
 * none leads), each until its time: past it a question has timed out, whether or not the server
 * said so yet, and the server no longer routes a reply to it either (the same rule:
 * server/domain/question-replies.ts, waitingCutoff). One list for every view that names them (the
 * launcher in Chatwoot, the Dashboard App).
 */
export function questionsWaiting<A extends Waiting>(state: { awaitingAnswer: A | null; awaitingAnswers?: readonly A[] }, now = Date.now()): A[] {
  const first = state.awaitingAnswer;
  if (!first) return [];
  return [first, ...(state.awaitingAnswers ?? []).filter((a) => a.runId !== first.runId)].filter((a) => Date.parse(a.until) > now);
}

/** The notice's words: one question as ever, several each named, the one asked last first. */
export const questionsWaitingText = (waiting: readonly Waiting[], now = new Date()) =>
  (waiting.length === 1 ? awaitingAnswerText(waiting[0]!, now) : awaitingAnswersText(waiting, now));

/**
 * What waits, named as the agent knows it: the shortcut they (or a colleague) clicked, by its
 * label in the menu, which may differ from its workflow's name; else the workflow.
 */
export const awaitingWho = (awaiting: AwaitingWho) => (awaiting.shortcutName ? `Shortcut “${awaiting.shortcutName}”` : `Workflow “${awaiting.workflowName}”`);
