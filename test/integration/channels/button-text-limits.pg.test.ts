import { describePg, pgUrl } from '../../support/postgres';
import { buttonTextLimitsSuite } from './button-text-limits-suite';

describePg('Reply buttons’ text per channel, on PostgreSQL', () => {
  buttonTextLimitsSuite(pgUrl);
});
