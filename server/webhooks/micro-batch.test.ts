import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './micro-batch';

const turn = () => new Promise<void>((r) => setImmediate(r));

function recorder(gatherTurns?: number, maxBatch = 100) {
  const batches: number[][] = [];
  const batcher = new MicroBatcher<number, number>(async (items) => {
    batches.push(items);
    return items.map((i) => ({ ok: true as const, value: i * 2 }));
  }, { maxBatch, ...(gatherTurns === undefined ? {} : { gatherTurns }) });
  return { batches, batcher };
}

describe('MicroBatcher', () => {
  it('answers each item on its own', async () => {
    const { batcher } = recorder();
    expect(await Promise.all([1, 2, 3].map((i) => batcher.submit(i)))).toEqual([2, 4, 6]);
  });

  it('without gathering, items arriving on later turns go to later batches', async () => {
    const { batches, batcher } = recorder(0);
    const done = [batcher.submit(1)];
    await turn();
    done.push(batcher.submit(2));
    await Promise.all(done);
    expect(batches).toEqual([[1], [2]]);
  });

  it('keeps gathering while items still arrive, at most gatherTurns turns', async () => {
    const { batches, batcher } = recorder(3);
    const done = [batcher.submit(1)];
    for (let i = 2; i <= 6; i++) { await turn(); done.push(batcher.submit(i)); }
    await Promise.all(done);
    expect(batches[0]!.length).toBeGreaterThan(1);
    expect(batches[0]!.length).toBeLessThanOrEqual(4);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a lone item waits one quiet turn only', async () => {
    const { batches, batcher } = recorder(3);
    const done = batcher.submit(1);
    await turn(); await turn();
    expect(batches).toEqual([[1]]);
    await done;
  });

  it('a full batch does not wait', async () => {
    const { batches, batcher } = recorder(3, 2);
    const done = [batcher.submit(1), batcher.submit(2)];
    expect(batches).toEqual([[1, 2]]);
    await Promise.all(done);
  });
});
