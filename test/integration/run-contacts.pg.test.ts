import { describePg, pgUrl } from '../support/postgres';
import { runContactsSuite } from './run-contacts-suite';

describePg('the run history\'s pages name their contacts (PostgreSQL)', () => {
  runContactsSuite(pgUrl);
});
