import { describePg, pgUrl } from '../support/postgres';
import { conversationPagesSuite } from './conversation-pages-suite';

describePg('conversation message pages and updatedSince (PostgreSQL)', () => {
  conversationPagesSuite(pgUrl);
});
