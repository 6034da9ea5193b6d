import { describePg, pgUrl } from '../../support/postgres';
import { customerEditsSuite } from './customer-edits-suite';

describePg('A customer edits a message, on PostgreSQL', () => {
  customerEditsSuite(pgUrl);
});
