import { describePg, pgUrl } from '../support/postgres';
import { streamRunErrorsSuite } from './stream-run-errors-suite';

describePg('run errors on the live stream, PostgreSQL', () => {
  streamRunErrorsSuite(pgUrl);
});
