import { describePg, pgUrl } from '../../support/postgres';
import { askSaveHeldContactSuite } from './ask-save-held-contact-suite';

describePg('Ask a Question saving to a contact that lives in Chatwoot, on a built-in conversation, on PostgreSQL', () => {
  askSaveHeldContactSuite(pgUrl);
});
