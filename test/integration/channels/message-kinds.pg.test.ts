import { describePg, pgUrl } from '../../support/postgres';
import { messageKindsSuite } from './message-kinds-suite';

describePg('WhatsApp flows, contact cards, orders, reactions and placeholders, on PostgreSQL', () => {
  messageKindsSuite(pgUrl);
});
