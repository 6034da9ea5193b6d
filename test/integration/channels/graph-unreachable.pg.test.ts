import { describePg, pgUrl } from '../../support/postgres';
import { graphUnreachableSuite } from './graph-unreachable-suite';

describePg('Meta unreachable or asking to wait, on PostgreSQL', () => {
  graphUnreachableSuite(pgUrl);
});
