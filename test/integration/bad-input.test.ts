import { describe } from 'vitest';
import { badInputSuite } from './bad-input';

describe('bad input on SQLite', () => {
  badInputSuite(() => undefined);
});
