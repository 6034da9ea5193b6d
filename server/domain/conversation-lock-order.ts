import type { Executor } from '../store/database';
import type { ConversationsTable } from '../store/schema';

/**
 * PostgreSQL lock order for a conversation's writers: its contact first, then the conversation.
 *
 * A run round locks its contacts FOR UPDATE before its steps write anything (round-prefetch.ts),
 * and takes a conversation row later: a message's first-response or first-incoming mark, and at
 * its COMMIT the last-message trigger (migrations 068/073). A request that stored a message took
 * them the other way round: the conversation row at its mark, then at its own COMMIT the contact,
 * because the trigger's UPDATE of a row the transaction had already written checks the
 * conversation's foreign key again (FOR KEY SHARE on the contact). Each waited on the other and
 * PostgreSQL rolled one back: a customer's message answered 503, or the round redone run by run.
 *
 * So a message stored outside a round reads its conversation holding the contact FOR KEY SHARE,
 * in the same statement (no round trip of its own), before it writes anything. A round holding
 * the contact commits first; a round starting after waits for this transaction at its first lock.
 * Two such writers do not wait on each other here (key share does not conflict with key share),
 * and they take the conversation's rows after it in one order: the question wait, its run, the
 * conversation. Meta's and Chatwoot's ingest hold the contact already (heldContactId) before they
 * touch its conversation; this holds it again, in the statement that read the conversation anyway.
 *
 * Why not change the trigger: run at the insert instead of the commit, it would take the
 * conversation before the question wait and run an answer wakes (question-replies.ts), which 068
 * deferred it to avoid, and the contact would still come after the conversation. Why not take the
 * conversation first everywhere: a round holds its contacts first by design (it reads each with
 * its open conversation in one statement). SQLite has one writer at a time and needs none of this.
 */
export async function conversationHoldingContact(trx: Executor, id: string): Promise<ConversationsTable | undefined> {
  return trx.selectFrom('conversations').innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .selectAll('conversations').where('conversations.id', '=', id).forKeyShare('contacts').executeTakeFirst();
}
