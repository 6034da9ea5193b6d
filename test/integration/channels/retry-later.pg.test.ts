import { describePg, pgUrl } from '../../support/postgres';
import { retryLaterChannelSuite } from './retry-later-suite';

describePg('Meta sends tried again later, on PostgreSQL', () => {
  retryLaterChannelSuite(pgUrl);
});
