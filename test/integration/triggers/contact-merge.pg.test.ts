import { describePg, pgUrl } from '../../support/postgres';
import { contactMergeSuite } from './contact-merge-suite';

describePg('contact merge on PostgreSQL', () => {
  contactMergeSuite(pgUrl);
});
