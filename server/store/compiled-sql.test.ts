import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './database';
import { insertParams, runShaped } from './compiled-sql';

describe('compiled webhook SQL', () => {
  let store: Store;
  beforeEach(async () => { store = await openStore({ sqliteFile: ':memory:' }); });
  afterEach(async () => { await store.close(); });

  const enrolment = (n: number) => ({ workflow_id: `wf_${n}`, contact_id: `ct_${n}`, created_at: '2026-01-01T00:00:00.000Z' });

  it('binds the parameters Kysely binds, in its order', () => {
    const rows = [enrolment(1), enrolment(2)];
    expect(insertParams(rows)?.params).toEqual(store.db.insertInto('enrollments').values(rows).compile().parameters);
  });

  it.each([
    ['no rows', []],
    ['an undefined value (DEFAULT)', [{ ...enrolment(1), created_at: undefined }]],
    ['rows with other keys', [enrolment(1), { contact_id: 'ct_2', workflow_id: 'wf_2', created_at: 'x' }]],
    ['a non-primitive value', [{ ...enrolment(1), created_at: new Date() }]],
  ])('leaves %s to Kysely', (_name, rows) => {
    expect(insertParams(rows as object[])).toBeUndefined();
  });

  it('compiles a shape once and reuses its SQL with new parameters', async () => {
    const db = store.db;
    const insert = (rows: ReturnType<typeof enrolment>[], build = () => db.insertInto('enrollments').values(rows).returning('contact_id')) =>
      runShaped(db, `test-insert:${rows.length}`, insertParams(rows)!.params, build);
    expect(await insert([enrolment(1), enrolment(2)])).toEqual([{ contact_id: 'ct_1' }, { contact_id: 'ct_2' }]);
    const rows = [enrolment(3), enrolment(4)];
    expect(await insert(rows, () => { throw new Error('compiled again'); })).toEqual([{ contact_id: 'ct_3' }, { contact_id: 'ct_4' }]);
  });

  it('does not cache a shape whose parameters disagree with Kysely\'s', async () => {
    const db = store.db;
    const select = (ids: string[]) => db.selectFrom('enrollments').select('contact_id').where('contact_id', 'in', ids);
    expect(await runShaped(db, 'test-select-wrong:1', ['not-the-parameter'], () => select(['ct_1']))).toEqual([]);
    let built = 0;
    await runShaped(db, 'test-select-wrong:1', ['ct_1'], () => { built++; return select(['ct_1']); });
    expect(built).toBe(1);
  });
});
