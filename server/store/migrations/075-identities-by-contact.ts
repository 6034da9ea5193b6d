import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A contact's channel and connector identities, found from the contact: editing a contact that
// lives in Chatwoot (contact-edit.ts, on every PATCH while an account is connected), a step's
// Chatwoot id (cwContactIdOf), erasure and merge. The primary key (channel, external_id) serves
// only the other direction, so each of those read every identity of the channel.
export const identitiesByContact: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE INDEX channel_identities_by_contact ON channel_identities (contact_id, channel)`.execute(db);
  },
};
