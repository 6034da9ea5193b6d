import { describePg, pgUrl } from '../support/postgres';
import { deactivationLinesSuite } from './deactivation-lines-suite';

describePg('a deactivated agent\'s conversations say why they are nobody\'s (PostgreSQL)', () => {
  deactivationLinesSuite(pgUrl);
});
