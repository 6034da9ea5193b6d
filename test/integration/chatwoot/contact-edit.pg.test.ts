import { describePg, pgUrl } from '../../support/postgres';
import { chatwootContactEditSuite } from './contact-edit-suite';

describePg('an edit of a contact that lives in Chatwoot, on PostgreSQL', () => {
  chatwootContactEditSuite(pgUrl);
});
