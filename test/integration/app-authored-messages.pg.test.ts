import { describePg, pgUrl } from '../support/postgres';
import { appAuthoredMessagesSuite } from './app-authored-messages-suite';

describePg('replies and notes posted with a mini-app\'s key are the app\'s (PostgreSQL)', () => {
  appAuthoredMessagesSuite(pgUrl);
});
