import { describe } from 'vitest';
import { searchCountCapSuite } from './search-count-cap-suite';

describe('a common word\'s search: a total that is a floor, every match paged (SQLite)', () => {
  searchCountCapSuite(() => undefined);
});
