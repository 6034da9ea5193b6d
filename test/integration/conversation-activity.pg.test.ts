import { describePg, pgUrl } from '../support/postgres';
import { conversationActivitySuite } from './conversation-activity-suite';

describePg('activity lines and Take over\'s assignment (PostgreSQL)', () => {
  conversationActivitySuite(pgUrl);
});
