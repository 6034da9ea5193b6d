/**
 * Whose turn it is to write to a SQLite file shared by the main thread and the executor thread
 * (one Int32Array over a SharedArrayBuffer). SQLite's own busy handler makes a blocked writer
 * sleep 1, 2, 5, 10… ms and try again: the main thread, blocked synchronously, stopped
 * acknowledging webhooks for those milliseconds, and measured 1,700 acknowledgements/s instead of
 * 4,000. Here the main thread waits without blocking (Atomics.waitAsync) and is woken the moment
 * the executor's transaction ends, and the executor, which has nothing else to do meanwhile,
 * blocks (Atomics.wait) and lets a waiting main thread go first: a 202 is what a sender waits on.
 * Transactions take the turn (begin) and give it back (commit, rollback); single statements
 * outside transactions still meet SQLite's busy handler, briefly. The WAL checkpointer's thread
 * takes it too, for a moment and only when nobody holds or waits for it (sqlite-checkpointer.ts).
 */
/** The cells and holders, also for the checkpointer's worker (its source is a string). */
export const TURN_CELLS = { HOLDER: 0, MAIN_WAITING: 1, FREE: 0, MAIN: 1, EXECUTOR: 2, CHECKPOINTER: 3 } as const;
const { HOLDER, MAIN_WAITING, FREE, MAIN, EXECUTOR } = TURN_CELLS;
/** The executor re-checks this often however it was woken (a lost wake costs no more than this). */
const EXECUTOR_WAIT_MS = 20;

export type WriteTurnSide = 'main' | 'executor';

export class WriteTurn {
  private readonly cells: Int32Array;
  /** [0]: until when (epoch ms) the main thread expects to ask for turns: webhooks are queueing there. */
  private readonly demand: Float64Array;
  private readonly me: number;

  constructor(readonly buffer: SharedArrayBuffer, readonly side: WriteTurnSide) {
    this.cells = new Int32Array(buffer, 0, 2);
    this.demand = new Float64Array(buffer, 8, 1);
    this.me = side === 'main' ? MAIN : EXECUTOR;
  }

  static buffer(): SharedArrayBuffer { return new SharedArrayBuffer(16); }

  /**
   * The main thread's demand for turns, set by its pacer while deliveries queue up: the executor
   * thread rests after its rounds meanwhile, as the executor on the main thread does (a hint:
   * a stale read costs one rest more or less).
   */
  get mainDemandUntil(): number { return this.demand[0]!; }
  set mainDemandUntil(until: number) { this.demand[0] = until; }

  /** Takes the turn: at once when free; the main thread waits asynchronously, the executor blocks. */
  take(): void | Promise<void> {
    return this.side === 'main' ? this.takeMain() : this.takeExecutor();
  }

  /** Gives the turn back if this side holds it (a rollback after a failed commit gives nothing twice). */
  give(): void {
    if (Atomics.compareExchange(this.cells, HOLDER, this.me, FREE) === this.me) Atomics.notify(this.cells, HOLDER);
  }

  private takeMain(): void | Promise<void> {
    if (Atomics.compareExchange(this.cells, HOLDER, FREE, MAIN) === FREE) return;
    return (async () => {
      Atomics.store(this.cells, MAIN_WAITING, 1);
      for (let holder: number; (holder = Atomics.compareExchange(this.cells, HOLDER, FREE, MAIN)) !== FREE;) {
        const waited = Atomics.waitAsync(this.cells, HOLDER, holder);
        if (waited.async) await waited.value;
      }
      Atomics.store(this.cells, MAIN_WAITING, 0);
      Atomics.notify(this.cells, MAIN_WAITING);
    })();
  }

  private takeExecutor(): void {
    for (;;) {
      while (Atomics.load(this.cells, MAIN_WAITING) === 1) Atomics.wait(this.cells, MAIN_WAITING, 1, EXECUTOR_WAIT_MS);
      const holder = Atomics.compareExchange(this.cells, HOLDER, FREE, EXECUTOR);
      if (holder === FREE) return;
      Atomics.wait(this.cells, HOLDER, holder, EXECUTOR_WAIT_MS);
    }
  }
}
