import { describePg, pgUrl } from '../support/postgres';
import { runsNotRunAgainSuite } from './runs-not-run-again-suite';

describePg('the failed runs not run again (PostgreSQL)', () => {
  runsNotRunAgainSuite(pgUrl);
});
