import { describePg, pgUrl } from '../../support/postgres';
import { earlyItemsErasureSuite } from './early-items-erasure-suite';

describePg('Erasing a contact removes their reactions and edits waiting for a message, on PostgreSQL', () => {
  earlyItemsErasureSuite(pgUrl);
});
