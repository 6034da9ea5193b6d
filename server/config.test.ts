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
