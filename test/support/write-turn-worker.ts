import { parentPort, workerData } from 'node:worker_threads';
import { WriteTurn } from '../../server/store/write-turn';

// The executor's side of write-turn.test.ts: a read-modify-write of a shared counter, slowed
// down inside each turn, that loses updates unless the turns exclude each other.
const { buffer, counter, rounds } = workerData as { buffer: SharedArrayBuffer; counter: SharedArrayBuffer; rounds: number };
const turn = new WriteTurn(buffer, 'executor');
// [0]: the counter; [1]: set by the main thread once it has asked for its first turn.
const cells = new Int32Array(counter);
// The first turn is held until the main thread asks for one, so the two contend at least once
// however the threads are scheduled (on a loaded machine this thread could otherwise finish
// all its rounds before the main thread began).
turn.take();
parentPort!.postMessage('started');
Atomics.wait(cells, 1, 0);
for (let i = 0; i < rounds; i++) {
  if (i > 0) turn.take();
  const seen = cells[0]!;
  const until = performance.now() + 0.05;
  while (performance.now() < until) { /* a statement's worth of work */ }
  cells[0] = seen + 1;
  turn.give();
}
parentPort!.postMessage('done');
