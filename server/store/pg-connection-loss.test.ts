import { describe, expect, it } from 'vitest';
import { isDatabaseUnreachable } from './pg-connection-loss';
import { isTransientDatabaseError } from './transient-errors';

describe('isDatabaseUnreachable (a 503, not a 500)', () => {
  it('knows a connection refused, reset or cut, and PostgreSQL shutting down or starting up', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '08006', '08001', '57P01', '57P02', '57P03']) {
      expect(isDatabaseUnreachable(Object.assign(new Error('x'), { code })), code).toBe(true);
    }
    for (const message of ['Connection terminated unexpectedly', 'Connection terminated', 'Connection terminated due to connection timeout', 'timeout expired', 'timeout exceeded when trying to connect']) {
      expect(isDatabaseUnreachable(new Error(message)), message).toBe(true);
    }
  });

  it('leaves other database errors and everything else alone', () => {
    expect(isDatabaseUnreachable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnreachable(Object.assign(new Error('syntax'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnreachable(new Error('Connection terminated by the user, they said'))).toBe(false);
    expect(isDatabaseUnreachable(null)).toBe(false);
    expect(isDatabaseUnreachable('ECONNREFUSED')).toBe(false);
  });

  it('does not count a protocol violation (08P01) as an outage: the same statement fails the same way again', () => {
    const err = Object.assign(new Error('bind message supplies 70000 parameters, but prepared statement "" requires 1'), { code: '08P01' });
    expect(isDatabaseUnreachable(err)).toBe(false);
    expect(isTransientDatabaseError(err)).toBe(false);
  });
});
