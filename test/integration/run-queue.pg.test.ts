import { describePg, pgUrl } from '../support/postgres';
import { runQueueSuite } from './run-queue-suite';

describePg('run queue heads (PostgreSQL)', () => runQueueSuite(pgUrl()));
