import { describe, expect, it } from 'vitest';
import { chatwootMessageTime } from './message-time';

const NOW = Date.parse('2026-01-15T12:00:00.000Z');

describe('a Chatwoot message\'s own time', () => {
  it.each([
    ['the webhook\'s ISO string', ['2026-01-15T11:58:20.401Z'], '2026-01-15T11:58:20.401Z'],
    ['the guide\'s "… UTC" form', ['2026-01-15 11:58:20 UTC'], '2026-01-15T11:58:20.000Z'],
    ['embedded Unix seconds', [1768478300], '2026-01-15T11:58:20.000Z'],
    ['seconds as text', ['1768478300'], '2026-01-15T11:58:20.000Z'],
    ['milliseconds', [1768478300401], '2026-01-15T11:58:20.401Z'],
    ['the first that reads as a time', [null, 'soon', 1768478300], '2026-01-15T11:58:20.000Z'],
    ['a minute ahead (clock skew): now', ['2026-01-15T12:01:00.000Z'], '2026-01-15T12:00:00.000Z'],
  ])('%s', (_what, candidates, iso) => {
    expect(chatwootMessageTime(candidates, NOW)).toBe(iso);
  });

  it.each([
    ['missing', [undefined, null]],
    ['not a time', ['yesterday', {}, true]],
    ['more than 5 minutes ahead', ['2026-01-15T12:05:01.000Z']],
    ['a day ahead', [1768478300 + 86_400]],
    ['before 2000', ['1999-12-31T23:59:59.000Z']],
    ['zero', [0]],
    ['far past Date\'s range', [1e20]],
  ])('%s: none (the arrival time stays)', (_what, candidates) => {
    expect(chatwootMessageTime(candidates, NOW)).toBeUndefined();
  });
});
