import { describePg, pgUrl } from '../support/postgres';
import { runRerunFromSuite } from './run-rerun-from-suite';

describePg('running failed runs again from the failed step (PostgreSQL)', () => {
  runRerunFromSuite(pgUrl);
});
