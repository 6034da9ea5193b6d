import { describePg, pgUrl } from '../../support/postgres';
import { customerEventsSuite } from './customer-events-suite';

describePg('Number changes, Meta error notifications and late deliveries, on PostgreSQL', () => {
  customerEventsSuite(pgUrl);
});
