import { describePg, pgUrl } from '../../support/postgres';
import { followUpAfterCloseSuite } from './follow-up-after-close-suite';

describePg('a follow-up sent after the conversation closed, on PostgreSQL', () => {
  followUpAfterCloseSuite(pgUrl);
});
