import { describePg, pgUrl } from '../support/postgres';
import { contactImportSuite } from './contact-import-suite';
import { contactImportMatchSuite } from './contact-import-match-suite';
import { contactImportValuesSuite } from './contact-import-values-suite';

describePg('contact import on PostgreSQL', () => {
  contactImportSuite(pgUrl);
  contactImportValuesSuite(pgUrl);
  contactImportMatchSuite(pgUrl);
});
