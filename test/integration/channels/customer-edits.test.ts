import { describe } from 'vitest';
import { customerEditsSuite } from './customer-edits-suite';

describe('A customer edits a message, on SQLite', () => {
  customerEditsSuite(() => undefined);
});
