import { describePg, pgUrl } from '../../support/postgres';
import { chatwootMissedMessagesSuite } from './missed-messages-suite';

describePg('a Chatwoot message whose message_created was lost is stored by its message_updated, on PostgreSQL', () => {
  chatwootMissedMessagesSuite(pgUrl);
});
