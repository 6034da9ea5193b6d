import { describePg, pgUrl } from '../support/postgres';
import { runRerunRefusedHistorySuite } from './run-rerun-refused-history-suite';

describePg('the run history says when Run again would be refused, on PostgreSQL', () => {
  runRerunRefusedHistorySuite(pgUrl);
});
