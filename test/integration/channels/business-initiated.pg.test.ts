import { describePg, pgUrl } from '../../support/postgres';
import { businessInitiatedSuite } from './business-initiated-suite';

describePg('a workflow’s WhatsApp template to a contact who never wrote, on PostgreSQL', () => {
  businessInitiatedSuite(pgUrl);
});
