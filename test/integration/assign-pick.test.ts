import { describe } from 'vitest';
import { assignPickSuite } from './assign-pick-suite';

describe('Assign to picking among users (round robin, least open), on SQLite', () => {
  assignPickSuite(() => undefined);
});
