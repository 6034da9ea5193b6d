import { describePg, pgUrl } from '../../support/postgres';
import { contactDeleteSuite } from './contact-delete-suite';

describePg('contact delete on PostgreSQL', () => {
  contactDeleteSuite(pgUrl);
});
