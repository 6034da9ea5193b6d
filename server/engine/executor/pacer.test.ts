import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from './pacer';

describe('executor pacing while webhook deliveries queue up', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'Date'] }); });
  afterEach(() => { vi.useRealTimers(); });

  const track = (pacer: Pacer, n: number) => {
    const done: number[] = [];
    for (let i = 0; i < n; i++) void pacer.turn().then(() => done.push(i));
    return done;
  };

  it('without pressure every waiting turn goes on the next event-loop turn', async () => {
    const done = track(new Pacer({ holdMs: 50, intervalMs: 1, saturated: () => true }), 5);
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual([0, 1, 2, 3, 4]);
  });

  it('under pressure turns go one per interval, in order', async () => {
    const pacer = new Pacer({ holdMs: 50, intervalMs: 1, saturated: () => true });
    pacer.markBusy();
    const done = track(pacer, 5);
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toEqual([0]);
    await vi.advanceTimersByTimeAsync(2);
    expect(done).toEqual([0, 1, 2]);
  });

  it('deliveries queueing on a loop with time to spare hold nothing back', async () => {
    const pacer = new Pacer({ holdMs: 50, intervalMs: 1, saturated: () => false });
    pacer.markBusy();
    expect(pacer.busy).toBe(false);
    const done = track(pacer, 3);
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual([0, 1, 2]);
  });

  it('when the pressure is over, everything still waiting goes at once', async () => {
    const pacer = new Pacer({ holdMs: 10, intervalMs: 1, saturated: () => true });
    pacer.markBusy();
    await vi.advanceTimersByTimeAsync(9);
    const done = track(pacer, 20);
    await vi.advanceTimersByTimeAsync(3);
    expect(done).toHaveLength(20);
    expect(pacer.busy).toBe(false);
  });
});
