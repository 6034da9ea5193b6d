import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './micro-batch';

const turn = () => new Promise<void>((r) => setImmediate(r));

function recorder(maxBatch = 100) {
  const batches: number[][] = [];
  const batcher = new MicroBatcher<number, number>(async (items) => {
    batches.push(items);
    return items.map((i) => ({ ok: true as const, value: i * 2 }));
  }, { maxBatch });
  return { batches, batcher };
}

describe('MicroBatcher', () => {
  it('answers each item on its own', async () => {
    const { batcher } = recorder();
    expect(await Promise.all([1, 2, 3].map((i) => batcher.submit(i)))).toEqual([2, 4, 6]);
  });

  it('items arriving on a later turn than a running batch go to the next one', async () => {
    const { batches, batcher } = recorder();
    const done = [batcher.submit(1)];
    await turn();
    done.push(batcher.submit(2));
    await Promise.all(done);
    expect(batches).toEqual([[1], [2]]);
  });

  it('a full batch does not wait', async () => {
    const { batches, batcher } = recorder(2);
    const done = [batcher.submit(1), batcher.submit(2)];
    expect(batches).toEqual([[1, 2]]);
    await Promise.all(done);
  });
});
