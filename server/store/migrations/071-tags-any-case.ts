import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Tags became one tag whatever their case (lib/workflow/tags.ts). Two things stored before
// depended on case:
// - trigger_index keys of Contact Tag Updated (`added:VIP`): dispatch now looks up the tag
//   lowercased, so a workflow published before would never fire again. Its keys are lowercased.
// - contacts holding the same tag in two cases ("vip" and "VIP"): a person sees one tag, and
//   removing it removes both anyway. Each keeps the casing it got first (the earlier in its list),
//   as a contact now keeps the first casing it is given. Bookkeeping, as a merge is: no events,
//   `updated_at` unchanged.
// Folded here in JavaScript, as at run time: SQL lower() folds ASCII only (SQLite; PostgreSQL
// under the "C" collation of migration 066), so "ÉTÉ" would not meet "été".

const fold = (s: string) => s.toLowerCase();
const PAGE = 1000;

export const tagsAnyCase: Migration = {
  async up(db: Kysely<any>) {
    const keys = await db.selectFrom('trigger_index').select(['workflow_id', 'trigger_key'])
      .where('trigger_type', '=', 'contact_tag_updated').execute();
    const held = new Set(keys.map((k) => `${k.workflow_id}\u0000${k.trigger_key}`));
    for (const { workflow_id, trigger_key } of keys) {
      const folded = fold(trigger_key);
      if (folded === trigger_key) continue;
      await db.deleteFrom('trigger_index').where('trigger_type', '=', 'contact_tag_updated')
        .where('workflow_id', '=', workflow_id).where('trigger_key', '=', trigger_key).execute();
      // A trigger listing "VIP" and "vip" had two keys that are one now.
      if (held.has(`${workflow_id}\u0000${folded}`)) continue;
      held.add(`${workflow_id}\u0000${folded}`);
      await db.insertInto('trigger_index').values({ workflow_id, trigger_type: 'contact_tag_updated', trigger_key: folded }).execute();
    }

    // Keyset pages by id: only contacts with at least two tags can hold a case-duplicate.
    let after = '';
    for (;;) {
      const rows: { id: string; tags: string }[] = await db.selectFrom('contacts').select(['id', 'tags'])
        .where('id', '>', after).where('tags', 'like', '%,%').orderBy('id').limit(PAGE).execute();
      for (const row of rows) {
        let tags: unknown;
        try { tags = JSON.parse(row.tags); } catch { continue; }
        if (!Array.isArray(tags)) continue;
        const seen = new Set<string>();
        const kept = tags.filter((t) => typeof t !== 'string' || (!seen.has(fold(t)) && Boolean(seen.add(fold(t)))));
        if (kept.length < tags.length) await db.updateTable('contacts').set({ tags: JSON.stringify(kept) }).where('id', '=', row.id).execute();
      }
      if (rows.length < PAGE) break;
      after = rows.at(-1)!.id;
    }
  },
};
