import { describePg, pgUrl } from '../support/postgres';
import { contactFieldFilterSuite } from './contact-field-filter-suite';

describePg('GET /contacts by a custom field\'s value, with the total, on PostgreSQL', () => {
  contactFieldFilterSuite(pgUrl);
});
