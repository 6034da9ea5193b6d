import { describePg, pgUrl } from '../../support/postgres';
import { chatwootMessageEditsSuite } from './message-edits-suite';

describePg('messages edited in Chatwoot read as edited here, on PostgreSQL', () => {
  chatwootMessageEditsSuite(pgUrl);
});
