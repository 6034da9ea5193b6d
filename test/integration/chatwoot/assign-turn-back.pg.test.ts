import { describePg, pgUrl } from '../../support/postgres';
import { assignTurnBackSuite } from './assign-turn-back-suite';

describePg('a round robin turn whose Chatwoot assignment failed, on PostgreSQL', () => {
  assignTurnBackSuite(pgUrl);
});
