import { describe } from 'vitest';
import { runRerunRefusedHistorySuite } from './run-rerun-refused-history-suite';

describe('the run history says when Run again would be refused', () => {
  runRerunRefusedHistorySuite(() => undefined);
});
