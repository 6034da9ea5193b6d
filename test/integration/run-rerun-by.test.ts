import { describe } from 'vitest';
import { runRerunBySuite } from './run-rerun-by-suite';

describe('GET /runs?rerunBy=: the reruns one person started', () => {
  runRerunBySuite(() => undefined);
});
