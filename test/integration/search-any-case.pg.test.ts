import { describePg, pgUrl } from '../support/postgres';
import { searchAnyCaseSuite } from './search-any-case-suite';

describePg('Search ignores the case of every letter, on PostgreSQL', () => {
  searchAnyCaseSuite(pgUrl);
});
