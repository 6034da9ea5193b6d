import { describePg, pgUrl } from '../support/postgres';
import { waitingBehindSuite } from './runs-waiting-behind';

describePg('runs waiting behind an earlier run on PostgreSQL', () => {
  waitingBehindSuite(pgUrl);
});
