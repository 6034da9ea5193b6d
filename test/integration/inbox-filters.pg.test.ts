import { describePg, pgUrl } from '../support/postgres';
import { inboxFiltersSuite } from './inbox-filters';

describePg('the list\'s Unread, channel and message search filters on PostgreSQL', () => {
  inboxFiltersSuite(pgUrl);
});
