import { describe } from 'vitest';
import { runRerunCountsSuite } from './run-rerun-counts-suite';

describe('Run all failed again: every run left counted under one reason', () => {
  runRerunCountsSuite(() => undefined);
});
