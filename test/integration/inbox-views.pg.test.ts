import { describePg, pgUrl } from '../support/postgres';
import { inboxViewsSuite } from './inbox-views';

describePg('inbox views (Mine, Unassigned, All), previews and teammates on PostgreSQL', () => {
  inboxViewsSuite(pgUrl);
});
