import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newId } from '../../ids';
import { BURST_REST, BUSY_REST, knob, restFactor, runBatch } from './rest';

describe('how long the executor rests after a round while deliveries queue up', () => {
  it("rests longer after a burst's young runs, its usual share once the oldest run waited past the window", () => {
    const ids = [newId('run'), newId('run')];
    const now = Date.now();
    expect(BURST_REST).toBeGreaterThan(BUSY_REST);
    expect(restFactor(ids, now + 500, 2_000)).toBe(BURST_REST);
    // The oldest run of the round decides: one queued 3 s ago means the backlog is old.
    const old = `run_${ulid(now - 3_000)}`;
    expect(restFactor([...ids, old], now, 2_000)).toBe(BUSY_REST);
    expect(restFactor(ids, now + 2_500, 2_000)).toBe(BUSY_REST);
  });

  it('keeps the usual share with the burst window off, for an empty round, and for ids that are not ULIDs', () => {
    const ids = [newId('run')];
    expect(restFactor(ids, Date.now(), 0)).toBe(BUSY_REST);
    expect(restFactor([], Date.now(), 2_000)).toBe(BUSY_REST);
    expect(restFactor(['run_not-a-ulid'], Date.now(), 2_000)).toBe(BUSY_REST);
  });

  it('reads the run batch as a whole number ≥ 1: garbage (once a NaN batch that turned rounds off) is the default', () => {
    expect(runBatch('128')).toBe(128);
    expect(runBatch('1')).toBe(1);
    expect(runBatch('0')).toBe(1);
    expect(runBatch('2.5')).toBe(2);
    for (const bad of [undefined, '', 'lots', '-4', 'Infinity']) expect(runBatch(bad)).toBe(64);
  });

  it('reads its knobs from the environment as numbers ≥ 0, anything else as the default', () => {
    expect(knob('8', 3)).toBe(8);
    expect(knob('0', 2_000)).toBe(0);
    for (const bad of [undefined, '', '  ', 'lots', '-1', 'Infinity', 'NaN']) expect(knob(bad, 3)).toBe(3);
  });
});
