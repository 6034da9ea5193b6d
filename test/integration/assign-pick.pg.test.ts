import { describePg, pgUrl } from '../support/postgres';
import { assignPickSuite } from './assign-pick-suite';

describePg('Assign to picking among users (round robin, least open), on PostgreSQL', () => {
  assignPickSuite(pgUrl);
});
