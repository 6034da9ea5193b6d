import { describePg, pgUrl } from '../../support/postgres';
import { lateMessagesSuite } from './late-messages-suite';

describePg('Customers’ WhatsApp messages that came late or out of order, on PostgreSQL', () => {
  lateMessagesSuite(pgUrl);
});
