import { describePg, pgUrl } from '../support/postgres';
import { unreadPlansSuite } from './unread-plans-suite';

describePg('the list\'s unread counts at scale (PostgreSQL)', () => {
  unreadPlansSuite(pgUrl);
});
