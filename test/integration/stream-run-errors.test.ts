import { describe } from 'vitest';
import { streamRunErrorsSuite } from './stream-run-errors-suite';

describe('run errors on the live stream, SQLite', () => {
  streamRunErrorsSuite(() => undefined);
});
