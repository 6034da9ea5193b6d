import { describePg, pgUrl } from '../support/postgres';
import { searchPagesPlansSuite } from './search-pages-plans-suite';

describePg('the inbox search\'s statement: its order stated, its reads unchanged (PostgreSQL)', () => {
  searchPagesPlansSuite(pgUrl);
});
