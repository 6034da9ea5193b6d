import { describePg, pgUrl } from '../../support/postgres';
import { chatwootChangeHostSuite } from './change-host-suite';

describePg('a connected Chatwoot moved to another host: the stored token stays with its host, on PostgreSQL', () => {
  chatwootChangeHostSuite(pgUrl);
});
