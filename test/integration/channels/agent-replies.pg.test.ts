import { describePg, pgUrl } from '../../support/postgres';
import { agentRepliesSuite } from './agent-replies-suite';

describePg('Agents’ replies through Meta channels, on PostgreSQL', () => {
  agentRepliesSuite(pgUrl);
});
