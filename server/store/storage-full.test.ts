import { describe, expect, it } from 'vitest';
import { isStorageFull } from './database';

describe('isStorageFull (a 503, not a 500)', () => {
  it('knows SQLite\'s SQLITE_FULL (extended codes included) and PostgreSQL\'s disk_full', () => {
    expect(isStorageFull(Object.assign(new Error('database or disk is full'), { code: 'ERR_SQLITE_ERROR', errcode: 13 }))).toBe(true);
    expect(isStorageFull(Object.assign(new Error('could not extend file'), { code: '53100' }))).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isStorageFull(Object.assign(new Error('database is locked'), { code: 'ERR_SQLITE_ERROR', errcode: 5 }))).toBe(false);
    expect(isStorageFull(Object.assign(new Error('out of memory'), { code: '53200' }))).toBe(false);
    expect(isStorageFull(null)).toBe(false);
  });
});
