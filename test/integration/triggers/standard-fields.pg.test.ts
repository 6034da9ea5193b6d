import { describePg, pgUrl } from '../../support/postgres';
import { standardFieldsSuite } from './standard-fields-suite';

describePg('Update Contact Field on standard fields, on PostgreSQL', () => {
  standardFieldsSuite(pgUrl);
});
