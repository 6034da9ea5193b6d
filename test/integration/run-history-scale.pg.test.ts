import { describePg, pgUrl } from '../support/postgres';
import { runHistoryScaleSuite } from './run-history-scale-suite';

describePg('the run history\'s filters and the workflow list\'s last runs at scale (PostgreSQL)', () => {
  runHistoryScaleSuite(pgUrl);
});
