import { describe, expect, it } from 'vitest';
import { isImport } from './import-rule';

const connectedAt = '2026-03-10T12:00:00.600Z';
const at = Date.parse('2026-03-10T12:00:00Z') / 1000;

describe('isImport: a conversation seen for the first time', () => {
  it.each([
    ['created a day before the connection, import not done', at - 86_400, false, false, true],
    ['created the second before', at - 1, false, false, true],
    ['created in the second of the connection (Chatwoot truncates)', at, false, false, false],
    ['created after the connection', at + 5, false, false, false],
    ['as an ISO string, before', '2026-03-09T08:00:00Z', false, false, true],
    ['no created_at at all', null, false, false, true],
    ['old, but the import is done: opened since', at - 86_400, true, false, false],
    ['old, and the delivery reports its reopen', at - 86_400, false, true, false],
  ])('%s', (_name, createdAt, imported, reportsReopen, expected) => {
    expect(isImport({ createdAt, connectedAt, imported, reportsReopen })).toBe(expected);
  });
});
