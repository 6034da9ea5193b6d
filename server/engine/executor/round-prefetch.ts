import { sql } from 'kysely';
import { prefetchContacts, toContact } from '../../domain/contacts';
import { prefetchOpenConversations, toConversation } from '../../domain/conversations';
import type { UnitOfWork } from '../../events/unit-of-work';
import { runShaped } from '../../store/compiled-sql';
import type { ContactsTable, ConversationsTable } from '../../store/schema';

/**
 * A run round's contacts and their open conversations, read before its steps run. On
 * PostgreSQL in ONE statement (the contacts locked, RoundReads.lock; each one's open
 * conversation, at most one, beside it): two statements were two round trips per round.
 */
export async function prefetchRound(uow: UnitOfWork, contactIds: readonly string[]): Promise<void> {
  const reads = uow.reads;
  if (!reads?.lock) {
    await prefetchContacts(uow, contactIds);
    await prefetchOpenConversations(uow, contactIds);
    return;
  }
  const ids = [...new Set(contactIds)].filter((id) => !uow.written?.has(id) && !reads.contacts.has(id) && !reads.openConversations.has(id)).sort();
  if (ids.length === 0) return;
  // The ids as one array: one text whatever their count, so one prepared statement and plan.
  const rows = await runShaped(uow.trx, 'contactsWithOpenConversation', [ids], () => sql<ContactsTable & { open_conversation: ConversationsTable | null }>`
    SELECT c.*, to_jsonb(cv) AS open_conversation FROM contacts c
    LEFT JOIN LATERAL (SELECT * FROM conversations WHERE contact_id = c.id AND status = 'open' LIMIT 1) cv ON true
    WHERE c.id = ANY(${ids}::text[]) ORDER BY c.id FOR UPDATE OF c`);
  for (const id of ids) reads.openConversations.set(id, null);
  for (const { open_conversation: open, ...contact } of rows) {
    reads.contacts.set(contact.id, toContact(contact));
    if (open?.id) reads.openConversations.set(contact.id, toConversation(open));
  }
}
