import { describePg, pgUrl } from '../support/postgres';
import { inboxSignInSuite } from './inbox-sign-in';

describePg('inbox-sign-in on PostgreSQL', () => {
  inboxSignInSuite(pgUrl);
});
