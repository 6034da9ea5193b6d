import { describePg, pgUrl } from '../support/postgres';
import { runHistoryPlansSuite } from './run-history-plans-suite';

describePg('the run history\'s launcher and failure reads use their indexes (PostgreSQL)', () => {
  runHistoryPlansSuite(pgUrl);
});
