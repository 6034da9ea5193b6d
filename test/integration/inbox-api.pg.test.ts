import { describePg, pgUrl } from '../support/postgres';
import { inboxApiSuite } from './inbox-api';

describePg('inbox API on PostgreSQL', () => {
  inboxApiSuite(pgUrl);
});
