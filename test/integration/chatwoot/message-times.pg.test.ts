import { describePg, pgUrl } from '../../support/postgres';
import { chatwootMessageTimesSuite } from './message-times-suite';

describePg('Chatwoot messages keep Chatwoot\'s times, on PostgreSQL', () => {
  chatwootMessageTimesSuite(pgUrl);
});
