import { describePg, pgUrl } from '../support/postgres';
import { takeOverQueuedSuite } from './take-over-queued-suite';

describePg('taking over a question with runs queued behind it (PostgreSQL)', () => {
  takeOverQueuedSuite(pgUrl);
});
