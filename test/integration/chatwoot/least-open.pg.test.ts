import { describePg, pgUrl } from '../../support/postgres';
import { leastOpenSuite } from './least-open-suite';

describePg('Assign to, least open, with Chatwoot, on PostgreSQL', () => {
  leastOpenSuite(pgUrl);
});
