import { describePg, pgUrl } from '../support/postgres';
import { contactImportSuite } from './contact-import-suite';

describePg('contact import on PostgreSQL', () => {
  contactImportSuite(pgUrl);
});
