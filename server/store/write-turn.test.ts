import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { TURN_CELLS, WriteTurn } from './write-turn';

describe('WriteTurn', () => {
  it('lets one thread at a time write: a counter both threads update in their turns loses nothing', async () => {
    const buffer = WriteTurn.buffer();
    // [0]: the counter; [1]: "the main thread has asked for its first turn" (the worker holds that one until then).
    const counter = new SharedArrayBuffer(8);
    const cells = new Int32Array(counter);
    const rounds = 2_000;
    const worker = new Worker(new URL('../../test/support/write-turn-worker.ts', import.meta.url), { workerData: { buffer, counter, rounds }, execArgv: ['--import', 'tsx'] });
    const said = (what: string) => new Promise((resolve, reject) => {
      worker.on('message', (m) => { if (m === what) resolve(m); });
      worker.once('error', reject);
    });
    const started = said('started');
    const done = said('done');
    await started;
    const turn = new WriteTurn(buffer, 'main');
    let waited = 0;
    for (let i = 0; i < rounds; i++) {
      const taking = turn.take();
      if (i === 0) { Atomics.store(cells, 1, 1); Atomics.notify(cells, 1); }
      if (taking) { waited++; await taking; }
      const seen = cells[0]!;
      // The main thread's transactions await between statements: the executor must not slip in.
      await new Promise((r) => setImmediate(r));
      cells[0] = seen + 1;
      turn.give();
    }
    await done;
    await worker.terminate();
    expect(cells[0]).toBe(2 * rounds);
    // They did contend: the main thread waited for the executor's turns (its first one at least).
    expect(waited).toBeGreaterThan(0);
  });

  it('makes the main thread wait, without blocking, while the WAL checkpointer holds the turn', async () => {
    const buffer = WriteTurn.buffer();
    const cells = new Int32Array(buffer, 0, 2);
    // What the checkpointer's worker does (sqlite-checkpointer.ts): take the turn only when free.
    expect(Atomics.compareExchange(cells, TURN_CELLS.HOLDER, TURN_CELLS.FREE, TURN_CELLS.CHECKPOINTER)).toBe(TURN_CELLS.FREE);
    const main = new WriteTurn(buffer, 'main');
    let taken = false;
    const taking = main.take();
    expect(taking).toBeInstanceOf(Promise);
    void (taking as Promise<void>).then(() => { taken = true; });
    let ticks = 0;
    await new Promise<void>((resolve) => { const tick = () => (++ticks < 20 ? setImmediate(tick) : resolve()); tick(); });
    expect(taken).toBe(false);
    // It says it waits, so a checkpointer looking again leaves the turn to it.
    expect(Atomics.load(cells, TURN_CELLS.MAIN_WAITING)).toBe(1);
    Atomics.store(cells, TURN_CELLS.HOLDER, TURN_CELLS.FREE);
    Atomics.notify(cells, TURN_CELLS.HOLDER);
    await taking;
    expect(taken).toBe(true);
    expect(Atomics.load(cells, TURN_CELLS.HOLDER)).toBe(TURN_CELLS.MAIN);
    main.give();
  });

  it('gives back only a turn its side holds (a rollback after a failed commit gives nothing twice)', async () => {
    const buffer = WriteTurn.buffer();
    const main = new WriteTurn(buffer, 'main');
    const executor = new WriteTurn(buffer, 'executor');
    executor.take();
    main.give();
    // Still the executor's: the main thread's take waits, until the executor gives it back.
    let taken = false;
    const taking = main.take();
    expect(taking).toBeInstanceOf(Promise);
    void (taking as Promise<void>).then(() => { taken = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(taken).toBe(false);
    executor.give();
    await taking;
    expect(taken).toBe(true);
  });
});
