import { describePg, pgUrl } from '../support/postgres';
import { runHistoryApiSuite } from './run-history-api';

describePg('run history API on PostgreSQL', () => {
  runHistoryApiSuite(pgUrl);
});
