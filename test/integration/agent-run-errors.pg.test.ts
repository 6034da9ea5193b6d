import { describePg, pgUrl } from '../support/postgres';
import { agentRunErrorsSuite } from './agent-run-errors-suite';

describePg('a run\'s errors as its launcher reads them (PostgreSQL)', () => {
  agentRunErrorsSuite(pgUrl);
});
