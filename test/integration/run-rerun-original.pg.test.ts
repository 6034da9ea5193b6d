import { describePg, pgUrl } from '../support/postgres';
import { runRerunOriginalSuite } from './run-rerun-original-suite';

describePg('running failed runs again with the original workflow (PostgreSQL)', () => {
  runRerunOriginalSuite(pgUrl);
});
