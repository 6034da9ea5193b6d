import { describePg, pgUrl } from '../support/postgres';
import { inboxUnreadSuite } from './inbox-unread';

describePg('unread counts per user on PostgreSQL', () => {
  inboxUnreadSuite(pgUrl);
});
