import { describe } from 'vitest';
import { searchAnyCaseSuite } from './search-any-case-suite';

describe('Search ignores the case of every letter, on SQLite', () => {
  searchAnyCaseSuite(() => undefined);
});
