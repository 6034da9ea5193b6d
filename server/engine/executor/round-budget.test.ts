import { describe, expect, it } from 'vitest';
import { queuedRoundBudget, roundsFor } from './worker';

describe('queuedRoundBudget (PostgreSQL queued rounds)', () => {
  it('drains a backlog in rounds four batches large while nothing else wants the event loop', () => {
    expect(queuedRoundBudget(64, { demand: false, express: 0 })).toBe(256);
  });

  it('keeps rounds batch-sized while deliveries queue up', () => {
    expect(queuedRoundBudget(64, { demand: true, express: 0 })).toBe(64);
  });

  it('keeps rounds batch-sized while a run someone waits on is claimed or executing beside them', () => {
    expect(queuedRoundBudget(64, { demand: false, express: 1 })).toBe(64);
  });
});

describe('roundsFor (PostgreSQL rounds in flight)', () => {
  it('leaves two pooled connections to webhooks, the API and express runs, and runs at least one round', () => {
    expect(roundsFor(10)).toBe(4);
    expect(roundsFor(5)).toBe(3);
    expect(roundsFor(3)).toBe(1);
    expect(roundsFor(1)).toBe(1);
  });
});
