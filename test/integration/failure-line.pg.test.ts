import { describePg, pgUrl } from '../support/postgres';
import { failureLineSuite } from './failure-line-suite';

describePg('a failed run\'s line in the thread (PostgreSQL)', () => {
  failureLineSuite(pgUrl);
});
