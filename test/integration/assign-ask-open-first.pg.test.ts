import { describePg, pgUrl } from '../support/postgres';
import { assignAskOpenFirstSuite } from './assign-ask-open-first-suite';

describePg('Assign to and Ask a Question with no conversation open, on PostgreSQL', () => {
  assignAskOpenFirstSuite(pgUrl);
});
