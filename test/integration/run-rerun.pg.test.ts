import { describePg, pgUrl } from '../support/postgres';
import { runRerunSuite } from './run-rerun-suite';

describePg('running failed runs again (PostgreSQL)', () => {
  runRerunSuite(pgUrl);
});
