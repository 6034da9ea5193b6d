import { describe } from 'vitest';
import { searchPagesPlansSuite } from './search-pages-plans-suite';

describe('the inbox search\'s statement: its order stated, its reads unchanged', () => {
  searchPagesPlansSuite(() => undefined);
});
