import { describePg, pgUrl } from '../support/postgres';
import { runOversightSuite } from './run-oversight-suite';

describePg('a supervisor\'s oversight of runs (PostgreSQL)', () => {
  runOversightSuite(pgUrl);
});
