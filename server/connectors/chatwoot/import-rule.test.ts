import { describe, expect, it } from 'vitest';
import { isImport } from './import-rule';

const connectedAt = '2026-03-10T12:00:00.600Z';
const at = Date.parse('2026-03-10T12:00:00Z') / 1000;

describe('isImport: a conversation seen for the first time', () => {
  it.each([
    ['created a day before the connection, import not done', at - 86_400, false, false, true],
    ['created the second before', at - 1, false, false, true],
    ['created in the second of a first connection (Chatwoot truncates): after it', at, false, false, false],
    ['created in the second of a reconnection: before it', at, false, false, true, { relinked: true }],
    ['… unless the reconnection was at that second\'s very start', at, false, false, false, { relinked: true, connectedAt: '2026-03-10T12:00:00.000Z' }],
    ['… unless its conversation_created delivery says it is new', at, false, false, false, { relinked: true, reportsCreation: true }],
    ['created after the connection', at + 5, false, false, false],
    ['as an ISO string, before', '2026-03-09T08:00:00Z', false, false, true],
    ['no created_at at all', null, false, false, true],
    ['old, but the import is done: opened since', at - 86_400, true, false, false],
    ['old, and the delivery reports its reopen', at - 86_400, false, true, false],
  ])('%s', (_name, createdAt, imported, reportsReopen, expected, more: { relinked?: boolean; reportsCreation?: boolean; connectedAt?: string } = {}) => {
    expect(isImport({ createdAt, connectedAt, imported, reportsReopen, ...more })).toBe(expected);
  });
});
