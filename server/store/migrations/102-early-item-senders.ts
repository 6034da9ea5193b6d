import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A reaction or edit waiting for its message (migrations 098, 101) is the customer's: erasing the
// contact must find it (domain/erase-early-items.ts), and its contact may not exist yet when it
// arrives, so it is kept under its sender: `whatsapp:<wa_id digits>` or `messenger:<PSID>`.
// Edits already waiting name their writer in `edit`; a reaction kept before this names nobody
// and goes with the 7 days. No index: the table holds a few days of out-of-order items.
export const earlyItemSenders: Migration = {
  async up(db: Kysely<any>) {
    // Text compares bytes on PostgreSQL (migration 066), as SQLite's BINARY does.
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text COLLATE "C"` : 'text';
    await db.schema.alterTable('early_reactions').addColumn('sender', text).execute();
    const edits = await db.selectFrom('early_reactions').select(['dedupe_key', 'edit']).where('edit', 'is not', null).execute();
    for (const row of edits as { dedupe_key: string; edit: string }[]) {
      const sender = senderOfEdit(row.edit);
      if (sender) await db.updateTable('early_reactions').set({ sender }).where('dedupe_key', '=', row.dedupe_key).execute();
    }
  },
};

/** The writer of an edit as release 101 kept it (EditWords: channel, senderId), in this migration's form. */
function senderOfEdit(json: string): string | null {
  try {
    const e = JSON.parse(json) as { channel?: unknown; senderId?: unknown };
    if (typeof e.senderId !== 'string') return null;
    if (e.channel === 'whatsapp') return `whatsapp:${e.senderId.replace(/\D/g, '')}`;
    if (e.channel === 'messenger') return `messenger:${e.senderId}`;
    return null;
  } catch {
    return null;
  }
}
