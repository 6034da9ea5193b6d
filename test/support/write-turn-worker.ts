import { parentPort, workerData } from 'node:worker_threads';
import { WriteTurn } from '../../server/store/write-turn';

// The executor's side of write-turn.test.ts: a read-modify-write of a shared counter, slowed
// down inside each turn, that loses updates unless the turns exclude each other.
const { buffer, counter, rounds } = workerData as { buffer: SharedArrayBuffer; counter: SharedArrayBuffer; rounds: number };
const turn = new WriteTurn(buffer, 'executor');
const cells = new Int32Array(counter);
parentPort!.postMessage('started');
for (let i = 0; i < rounds; i++) {
  turn.take();
  const seen = cells[0]!;
  const until = performance.now() + 0.05;
  while (performance.now() < until) { /* a statement's worth of work */ }
  cells[0] = seen + 1;
  turn.give();
}
parentPort!.postMessage('done');
