import { describePg, pgUrl } from '../support/postgres';
import { searchCountCapSuite } from './search-count-cap-suite';

describePg('a common word\'s search: a total that is a floor, every match paged (PostgreSQL)', () => {
  searchCountCapSuite(pgUrl);
});
