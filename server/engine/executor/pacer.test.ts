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

  it('a round that held the loop past the hold window still counts the deliveries queued before it (its rest is not skipped)', async () => {
    const pacer = new Pacer({ holdMs: 50, intervalMs: 1, saturated: () => false });
    const roundStart = Date.now();
    pacer.markBusy();
    await vi.advanceTimersByTimeAsync(120); // a round of 120 ms: no batch could renew the window meanwhile
    expect(pacer.demand).toBe(false);
    expect(pacer.demandSince(roundStart)).toBe(true);
    expect(pacer.demandSince(Date.now())).toBe(false);
  });

  it.each([
    ['unpaced', false],
    ['paced', true],
  ])('%s: a turn that comes due while deliveries wait goes after their batch, and waits for one batch only', async (_, saturated) => {
    const pacer = new Pacer({ holdMs: 50, intervalMs: 1, saturated: () => saturated });
    if (saturated) pacer.markBusy();
    const order: string[] = [];
    void pacer.turn().then(() => order.push('turn'));
    pacer.deliveryWaiting();
    pacer.deliveryWaiting();
    await vi.advanceTimersByTimeAsync(5);
    expect(order).toEqual([]);
    order.push('batch stored');
    pacer.deliveriesStored(2);
    pacer.deliveryWaiting(); // the next batch's delivery is already waiting: the turn goes anyway
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['batch stored', 'turn']);
  });

  it('a turn held behind a batch that never ends goes after holdMs anyway', async () => {
    const pacer = new Pacer({ holdMs: 50, intervalMs: 1, saturated: () => false });
    const order: string[] = [];
    void pacer.turn().then(() => order.push('turn'));
    pacer.deliveryWaiting();
    await vi.advanceTimersByTimeAsync(49);
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(order).toEqual(['turn']);
    pacer.deliveriesStored(1); // the late batch releases nothing twice
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual(['turn']);
  });
});
