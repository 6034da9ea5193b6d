import { describePg, pgUrl } from '../support/postgres';
import { contactCreateLifecycleSuite } from './contact-create-lifecycle-suite';

describePg('POST /contacts with a lifecycle stage, on PostgreSQL', () => {
  contactCreateLifecycleSuite(pgUrl);
});
