import { describePg, pgUrl } from '../../support/postgres';
import { askAfterCloseSuite } from './ask-after-close-suite';

describePg('Ask a Question and Assign to after the WhatsApp conversation closed, on PostgreSQL', () => {
  askAfterCloseSuite(pgUrl);
});
