import { describePg, pgUrl } from '../support/postgres';
import { badInputSuite } from './bad-input';

describePg('bad input on PostgreSQL', () => {
  badInputSuite(pgUrl);
});
