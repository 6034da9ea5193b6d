import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('WEBHOOK_UNKNOWN_DELAY_MS', () => {
  const delay = (value?: string) => loadConfig({ ...(value === undefined ? {} : { WEBHOOK_UNKNOWN_DELAY_MS: value }) }).unknownHookTarpitMs;

  it('defaults to one second, and takes a number of milliseconds', () => {
    expect(delay()).toBe(1_000);
    expect(delay('250')).toBe(250);
  });

  it('turns garbage or a negative number into no delay, and caps a huge one at a minute', () => {
    expect(delay('soon')).toBe(0);
    expect(delay('-5')).toBe(0);
    // Past 2^31 ms Node would fire the timer at once: a "forever" setting must not mean "never".
    expect(delay('1e12')).toBe(60_000);
  });
});

describe('DATABASE_POOL_SIZE', () => {
  const pool = (value?: string) => loadConfig({ ...(value === undefined ? {} : { DATABASE_POOL_SIZE: value }) }).databasePoolSize;

  it('defaults to 10 connections, and takes a whole number', () => {
    expect(pool()).toBe(10);
    expect(pool('4')).toBe(4);
    expect(pool('4.7')).toBe(4);
  });

  it('never goes below one connection (a pool of none would wait forever) nor above 100; garbage means the default', () => {
    expect(pool('0')).toBe(1);
    expect(pool('-3')).toBe(1);
    expect(pool('100000')).toBe(100);
    expect(pool('lots')).toBe(10);
    expect(pool('')).toBe(10);
  });
});

describe('COMPANION_EXECUTOR_THREAD', () => {
  const thread = (value?: string) => loadConfig({ ...(value === undefined ? {} : { COMPANION_EXECUTOR_THREAD: value }) }).executorThread;

  it('is off unless set to 1 or true (any case, spaces around allowed); anything else keeps runs on the main thread', () => {
    expect(thread()).toBe(false);
    expect(thread('1')).toBe(true);
    expect(thread(' TRUE ')).toBe(true);
    expect(thread('0')).toBe(false);
    expect(thread('yes please')).toBe(false);
    expect(thread('')).toBe(false);
  });
});
