import { describePg, pgUrl } from '../support/postgres';
import { outsideOnceSuite } from './outside-once-suite';

describePg('outside effects done once across a crash or an outage (PostgreSQL)', () => {
  outsideOnceSuite(pgUrl);
});
