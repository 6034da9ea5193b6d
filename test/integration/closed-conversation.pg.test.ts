import { describePg, pgUrl } from '../support/postgres';
import { closedConversationSuite } from './closed-conversation-suite';

describePg('a closed conversation on PostgreSQL', () => {
  closedConversationSuite(pgUrl);
});
