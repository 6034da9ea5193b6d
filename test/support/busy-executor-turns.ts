import { parentPort, workerData } from 'node:worker_threads';
import { WriteTurn } from '../../server/store/write-turn';

// A busy executor thread, for tests of what the main thread does between its SQLite transactions:
// it takes the write turn for about 10 ms at a time, as run rounds do, until told to stop
// (stop[0] = 1). The main thread's transactions then wait for turns now and then, and requests
// queued meanwhile get in between them.
const { buffer, stop } = workerData as { buffer: SharedArrayBuffer; stop: SharedArrayBuffer };
const turn = new WriteTurn(buffer, 'executor');
const stopped = new Int32Array(stop);
parentPort!.postMessage('started');
while (Atomics.load(stopped, 0) === 0) {
  turn.take();
  const until = performance.now() + 10;
  while (performance.now() < until) { /* a round's statements */ }
  turn.give();
  Atomics.wait(stopped, 0, 0, 1);
}
parentPort!.postMessage('stopped');
