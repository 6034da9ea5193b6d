import { describePg, pgUrl } from '../support/postgres';
import { contactImportPartsSuite } from './contact-import-parts-suite';

describePg('contact import parts on PostgreSQL', () => {
  contactImportPartsSuite(pgUrl);
});
