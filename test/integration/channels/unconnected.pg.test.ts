import { describePg, pgUrl } from '../../support/postgres';
import { unconnectedChannelSuite } from './unconnected-suite';

describePg('Meta deliveries for numbers and Pages not connected here, on PostgreSQL', () => {
  unconnectedChannelSuite(pgUrl);
});
