import { describePg, pgUrl } from '../support/postgres';
import { loopGuardNotesSuite } from './engine-loop-guard-notes';

describePg('loop guard notes on PostgreSQL', () => {
  loopGuardNotesSuite(pgUrl);
});
