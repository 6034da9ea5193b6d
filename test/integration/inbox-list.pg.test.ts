import { describePg, pgUrl } from '../support/postgres';
import { inboxListSuite } from './inbox-list';

describePg('inbox conversation list on PostgreSQL', () => {
  inboxListSuite(pgUrl);
});
