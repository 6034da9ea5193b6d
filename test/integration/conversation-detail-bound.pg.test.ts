import { describePg, pgUrl } from '../support/postgres';
import { conversationDetailBoundSuite } from './conversation-detail-bound-suite';

describePg('GET /conversations/:id bounded (PostgreSQL)', () => {
  conversationDetailBoundSuite(pgUrl);
});
