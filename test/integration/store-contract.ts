import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { newId, nowIso } from '../../server/ids';
import { fromJson, isUniqueViolation, migrate, toJson, type Store } from '../../server/store/database';
import type { ContactsTable, ConversationsTable } from '../../server/store/schema';

export interface StoreFixture {
  store: Store;
  dispose(): Promise<void>;
}

const contactRow = (over: Partial<ContactsTable> = {}): ContactsTable => ({
  id: newId('con'), first_name: 'Ada', last_name: 'Lovelace', phone: null, email: null,
  tags: '[]', fields: '{}', created_at: nowIso(), updated_at: nowIso(), ...over,
});

const conversationRow = (contactId: string, status: 'open' | 'closed'): ConversationsTable => ({
  id: newId('cnv'), contact_id: contactId, status, opened_by_source: 'api', closed_by_source: null, close_reason: null,
  category: null, summary: null, assignee_id: null, opened_at: nowIso(), closed_at: null, first_incoming_message: null,
  first_response_at: null,
});

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try { await promise; } catch (err) { return err; }
  throw new Error('expected the statement to fail');
}

/**
 * What every dialect of the store must do the same way. Registered inside a describe block
 * by store.test.ts (SQLite) and store.pg.test.ts (PostgreSQL); `open` gives a fresh database.
 */
export function storeContract(open: () => Promise<StoreFixture>) {
  let fx: StoreFixture;
  beforeEach(async () => { fx = await open(); });
  afterEach(async () => { await fx.dispose(); });
  const db = () => fx.store.db;

  it('runs migrations idempotently', async () => {
    const before = await db().selectFrom('kysely_migration' as any).select('name' as any).execute();
    await migrate(db());
    await migrate(db());
    const after = await db().selectFrom('kysely_migration' as any).select('name' as any).execute();
    expect(after).toHaveLength(before.length);
    expect(before.length).toBeGreaterThan(0);
    expect(await db().selectFrom('contacts').select('id').execute()).toEqual([]);
  });

  it('returns inserted rows with insert … returning', async () => {
    const row = contactRow({ first_name: 'Grace' });
    const back = await db().insertInto('contacts').values(row).returning(['id', 'first_name', 'phone']).executeTakeFirstOrThrow();
    expect({ ...back }).toEqual({ id: row.id, first_name: 'Grace', phone: null });
  });

  it('counts with a raw count(*) and with countAll, as numbers', async () => {
    for (let i = 0; i < 3; i++) await db().insertInto('contacts').values(contactRow()).execute();
    const raw = await sql<{ n: number }>`select count(*) as n from contacts`.execute(db());
    expect(Number(raw.rows[0]!.n)).toBe(3);
    const viaBuilder = await db().selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(viaBuilder.n).toBe(3);
    expect(typeof viaBuilder.n).toBe('number');
  });

  it('leaves nothing behind from a rolled-back transaction', async () => {
    const row = contactRow();
    const err = await caught(db().transaction().execute(async (trx) => {
      await trx.insertInto('contacts').values(row).execute();
      expect(await trx.selectFrom('contacts').select('id').where('id', '=', row.id).executeTakeFirst()).toBeDefined();
      throw new Error('roll back');
    }));
    expect((err as Error).message).toBe('roll back');
    expect(await db().selectFrom('contacts').select('id').execute()).toEqual([]);
    // The connection is usable afterwards.
    await db().insertInto('contacts').values(contactRow()).execute();
    expect(await db().selectFrom('contacts').select('id').execute()).toHaveLength(1);
  });

  it.each([
    ['phone', { phone: '+14155550123' }],
    ['email', { email: 'ada@example.com' }],
  ])('detects a unique violation on %s with isUniqueViolation', async (_name, unique) => {
    await db().insertInto('contacts').values(contactRow(unique)).execute();
    const err = await caught(db().insertInto('contacts').values(contactRow(unique)).execute());
    expect(isUniqueViolation(err)).toBe(true);
  });

  it('allows many contacts without phone or email (NULLs are not duplicates)', async () => {
    for (let i = 0; i < 3; i++) await db().insertInto('contacts').values(contactRow()).execute();
    expect(await db().selectFrom('contacts').select('id').execute()).toHaveLength(3);
  });

  it('does not mistake other errors for unique violations', async () => {
    const err = await caught(db().insertInto('contacts').values({ ...contactRow(), first_name: null as unknown as string }).execute());
    expect(isUniqueViolation(err)).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });

  it('stores an idempotency key once, and any number of events without one', async () => {
    const event = (key: string | null) => ({
      id: newId('evt'), type: 'webhook.received', source: 'api', contact_id: null, payload: '{}', idempotency_key: key,
      depth: 0, note: null, created_at: nowIso(), run_ids: key ? '[]' : null,
    });
    await db().insertInto('events').values([event(null), event(null), event('hook:wf:1'), event(null)]).execute();
    const err = await caught(db().insertInto('events').values(event('hook:wf:1')).execute());
    expect(isUniqueViolation(err)).toBe(true);
    await db().insertInto('events').values(event('hook:wf:2')).execute();
    const keys = await db().selectFrom('events').select('idempotency_key').orderBy('id').execute();
    expect(keys.map((k) => k.idempotency_key)).toEqual([null, null, 'hook:wf:1', null, 'hook:wf:2']);
    if (fx.store.dialect === 'postgres') {
      // Only keyed events are indexed (migration 065): unkeyed ones write no entry.
      const { rows } = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE tablename = 'events' AND indexdef LIKE '%idempotency_key%' AND schemaname = current_schema()`.execute(db());
      expect(rows.map((r) => r.indexdef)).toEqual([expect.stringMatching(/^CREATE UNIQUE INDEX .* WHERE \(idempotency_key IS NOT NULL\)$/)]);
    }
  });

  it('keeps at most one open conversation per contact (partial unique index)', async () => {
    const c = contactRow();
    await db().insertInto('contacts').values(c).execute();
    await db().insertInto('conversations').values(conversationRow(c.id, 'closed')).execute();
    await db().insertInto('conversations').values(conversationRow(c.id, 'closed')).execute();
    const open = conversationRow(c.id, 'open');
    await db().insertInto('conversations').values(open).execute();
    const err = await caught(db().insertInto('conversations').values(conversationRow(c.id, 'open')).execute());
    expect(isUniqueViolation(err)).toBe(true);
    // Closing the open one frees the slot.
    await db().updateTable('conversations').set({ status: 'closed' }).where('id', '=', open.id).execute();
    await db().insertInto('conversations').values(conversationRow(c.id, 'open')).execute();
    const other = contactRow();
    await db().insertInto('contacts').values(other).execute();
    await db().insertInto('conversations').values(conversationRow(other.id, 'open')).execute();
    const openRows = await db().selectFrom('conversations').select('id').where('status', '=', 'open').execute();
    expect(openRows).toHaveLength(2);
  });

  it('round-trips JSON text byte for byte', async () => {
    const value = {
      text: 'Grüße, 你好, مرحبا, 🎉 and "quotes" \\ back\nslash', html: '<script>alert(1)</script>',
      nested: { list: [1, 2.5, -3, true, false, null], empty: {}, deep: [[['x']]] }, big: 2 ** 53 - 1,
    };
    await db().insertInto('settings').values({ key: 'k', value: toJson(value), updated_at: nowIso() }).execute();
    const row = await db().selectFrom('settings').select('value').where('key', '=', 'k').executeTakeFirstOrThrow();
    expect(row.value).toBe(toJson(value));
    expect(fromJson(row.value, null)).toEqual(value);
    expect(fromJson('not json', 'fallback')).toBe('fallback');
    expect(fromJson(null, 'fallback')).toBe('fallback');
  });

  it('refuses a NUL character in a text column with SQLSTATE 22021 on both dialects', async () => {
    const err = await caught(db().insertInto('contacts').values(contactRow({ first_name: 'a\u0000b' })).execute());
    expect((err as { code?: string }).code).toBe('22021');
    expect(isUniqueViolation(err)).toBe(false);
    expect(await db().selectFrom('contacts').select('id').execute()).toEqual([]);
  });

  it('reads booleans and integers the same way on both dialects', async () => {
    await db().insertInto('users').values({ id: newId('usr'), name: 'U', email: 'u@x.test', role: 'agent', shortcuts_enabled: 0, created_at: nowIso() }).execute();
    const u = await db().selectFrom('users').select('shortcuts_enabled').executeTakeFirstOrThrow();
    expect(u.shortcuts_enabled).toBe(0);
  });

  it('commits concurrent transactions independently', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => contactRow({ email: `c${i}@example.com` }));
    await Promise.all(rows.map((row) => db().transaction().execute(async (trx) => {
      await trx.insertInto('contacts').values(row).execute();
      await trx.updateTable('contacts').set({ first_name: `n-${row.email}` }).where('id', '=', row.id).execute();
    })));
    const back = await db().selectFrom('contacts').select(['email', 'first_name']).execute();
    expect(back).toHaveLength(20);
    for (const r of back) expect(r.first_name).toBe(`n-${r.email}`);
  });

  it('lets exactly one of many concurrent transactions open the conversation', async () => {
    const c = contactRow();
    await db().insertInto('contacts').values(c).execute();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => db().transaction().execute(async (trx) => {
      await trx.insertInto('conversations').values(conversationRow(c.id, 'open')).execute();
      await trx.insertInto('events').values({
        id: newId('evt'), type: 'conversation.opened', source: 'api', contact_id: c.id, payload: '{}', idempotency_key: null, depth: 0, note: null, created_at: nowIso(),
      }).execute();
    })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(isUniqueViolation(r.reason)).toBe(true);
    // The losers' event rows rolled back with their conversation rows.
    expect(await db().selectFrom('events').select('id').execute()).toHaveLength(1);
  });
}
