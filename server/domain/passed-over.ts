import { sql } from 'kysely';
import type { Executor } from '../store/database';

/**
 * A customer's message that another workflow's question took (or that named a question no longer
 * waiting) while this run's question waited too: the run's log says so, so an admin reading a
 * question that "never got its answer" sees where it went. Stored on the question's wait row and
 * noted by the step when it next runs (question-replies.ts wakes it for that).
 */
export type PassedBy =
  /** A typed reply, which goes to the question asked last: `to`'s. */
  | { kind: 'latest'; to: string }
  /** A reply naming `to`'s question (a tapped button, a quick reply, a quoted message). */
  | { kind: 'named'; to: string }
  /** A reply naming `to`'s question, which takes no answer now (ended, or not sent yet): no question took it. */
  | { kind: 'gone'; to: string };

const quoted = (text: string) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return `"${one.length > 60 ? `${one.slice(0, 59)}…` : one}"`;
};

/** The note's sentence; the workflow is named by what it is called now (null: deleted since). */
export function passedOverNote(text: string, by: PassedBy, workflowName: string | null): string {
  // One line each (the row keeps one note a line).
  return sentence(text, by, workflowName).replace(/\s*\n\s*/g, ' ');
}

function sentence(text: string, by: PassedBy, workflowName: string | null): string {
  const whose = workflowName === null ? `run ${by.to}` : `workflow “${workflowName}” (run ${by.to})`;
  const message = `the customer’s message ${quoted(text)}`;
  switch (by.kind) {
    case 'latest': return `Not this question’s answer: ${message} went to the question that ${whose} asked after this one; a typed reply answers the question asked last.`;
    case 'named': return `Not this question’s answer: ${message} was a reply to the question of ${whose}, and went to it: a tapped button or a quoted message answers its own question.`;
    case 'gone': return `Not this question’s answer: ${message} replied to an earlier question of ${whose} that takes no answer now, so no question took it.`;
  }
}

export async function workflowNameOfRun(db: Executor, runId: string): Promise<string | null> {
  const row = await db.selectFrom('runs').innerJoin('workflows', 'workflows.id', 'runs.workflow_id')
    .select('workflows.name').where('runs.id', '=', runId).executeTakeFirst();
  return row?.name ?? null;
}

/** Appends a note in one statement (no read: two messages at once each keep theirs). */
export async function addPassedOverNote(db: Executor, runId: string, note: string): Promise<void> {
  await db.updateTable('question_waits').set({ passed_over: sql<string>`coalesce(passed_over || ${'\n'}, '') || ${note}` })
    .where('run_id', '=', runId).execute();
}

/** The notes a wait row holds, oldest first. */
export const passedOverNotes = (stored: string | null | undefined): string[] => (stored ? stored.split('\n').filter(Boolean) : []);

/**
 * Clears the notes once the step has put them in the run's log; only those it read: one appended
 * meanwhile stays for the step's next run.
 */
export async function clearPassedOver(db: Executor, runId: string, read: string): Promise<void> {
  await db.updateTable('question_waits').set({ passed_over: null }).where('run_id', '=', runId).where('passed_over', '=', read).execute();
}
