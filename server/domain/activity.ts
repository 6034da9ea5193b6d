import type { UnitOfWork } from '../events/unit-of-work';
import { newId, nowIso } from '../ids';
import type { Services } from '../services';
import { insertOne } from '../store/compiled-sql';
import type { Executor } from '../store/database';
import type { MessagesTable } from '../store/schema';

/**
 * Activity lines: what happened in a conversation, in its thread (Chatwoot's activity messages,
 * respond.io's timeline): "Ava launched “Mark VIP”", "Workflow “Order sync” failed: …", "Ben took
 * over: workflow “Ask order” stopped". Messages of kind `activity`, written here and nowhere else:
 * they are never the customer's or an agent's turn (no question takes them, no first response or
 * first message is set), record no Message Created (so they start no workflow and reach no app),
 * go to no channel or Chatwoot, and do not become the list's latest message (migration 082).
 */
export interface ActivityLine {
  conversationId: string;
  /** The conversation's contact: its inboxes are told (`conversation.changed`). */
  contactId: string;
  text: string;
  author: { type: 'user' | 'workflow'; id: string | null; name?: string | null };
  /**
   * A run's outcome line: one per run, replaced by its next outcome ("waiting to try again at …"
   * becomes "failed: …") under the same id, moved to the end of the thread each time, so the agent
   * reads its latest state where new things appear instead of a line per retry.
   */
  runId?: string;
}

/** The send_key of a run's outcome line (the unique send-key index finds and replaces it). */
export const runLineKey = (runId: string) => `activity:${runId}`;

const MAX_TEXT = 4096;

function rowOf(line: ActivityLine, at: string): MessagesTable {
  return {
    id: newId('msg'), conversation_id: line.conversationId, direction: 'outgoing', kind: 'activity',
    author_type: line.author.type, author_id: line.author.id, text: line.text.replace(/\s*\n\s*/g, ' ').slice(0, MAX_TEXT), created_at: at,
    ...(line.author.type === 'workflow' && line.author.name ? { author_name: line.author.name.slice(0, 200) } : {}),
    ...(line.runId ? { send_key: runLineKey(line.runId) } : {}),
  };
}

/**
 * The lines, in one statement. A run's line replaces the one before in place: same id (a client
 * holding it sees it change, not vanish), a new time, so it moves to the end of the thread (which
 * is in created_at order: listMessages).
 */
export async function writeActivity(db: Executor, lines: readonly ActivityLine[]): Promise<void> {
  if (lines.length === 0) return;
  const at = nowIso();
  await db.insertInto('messages').values(lines.map((l) => rowOf(l, at)))
    .onConflict((oc) => oc.column('send_key').where('send_key', 'is not', null).doUpdateSet((eb) => ({
      text: eb.ref('excluded.text'), created_at: eb.ref('excluded.created_at'),
      author_type: eb.ref('excluded.author_type'), author_id: eb.ref('excluded.author_id'), author_name: eb.ref('excluded.author_name'),
    })))
    .execute();
}

/** writeActivity in a unit of work; the conversations' inboxes hear of it once it commits. */
export async function addActivity(uow: UnitOfWork, services: Services, lines: readonly ActivityLine[]): Promise<void> {
  if (lines.length === 0) return;
  await writeActivity(uow.trx, lines);
  const told = new Map(lines.map((l) => [l.conversationId, l.contactId]));
  uow.afterCommit(() => {
    for (const [conversationId, contactId] of told) services.live.publish({ type: 'conversation.changed', conversationId, contactId });
  });
}

/**
 * The line written beside a change a workflow's step or a person made to the conversation
 * ("Assigned to Ava by workflow “Welcome”", "Ben self-assigned this conversation": change-lines.ts):
 * one insert, only when something changed, and in a run round sent with
 * the round's next statement as the change itself is (no round trip of its own on PostgreSQL).
 * The change's own `conversation.changed` tells the inboxes.
 */
export async function writeStepLine(uow: UnitOfWork, line: Omit<ActivityLine, 'runId'>): Promise<void> {
  await insertOne(uow.trx, 'messages', rowOf(line, nowIso()), { deferred: !!uow.reads });
}

/** A workflow as activity lines name it: `workflow “Order sync”` (null: deleted since, or never named). */
export const workflowNamed = (name: string | null | undefined) => (name ? `workflow “${name}”` : 'a workflow since deleted');

/** The first letter in upper case: a line that starts with workflowNamed. */
export const capitalized = (text: string) => `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;

/** "cancelled by Ann" from "Cancelled by Ann": a run's stop reason inside a sentence. */
export const inSentence = (reason: string) => `${reason[0]?.toLowerCase() ?? ''}${reason.slice(1)}`;
