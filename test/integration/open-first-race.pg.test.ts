import { describePg, pgUrl } from '../support/postgres';
import { openFirstRaceSuite } from './open-first-race-suite';

describePg('a step that opens the conversation first, the conversation closed as it began, on PostgreSQL', () => {
  openFirstRaceSuite(pgUrl);
});
