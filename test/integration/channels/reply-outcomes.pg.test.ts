import { describePg, pgUrl } from '../../support/postgres';
import { replyOutcomesSuite } from './reply-outcomes-suite';

describePg('What an agent’s reply on WhatsApp / Messenger leads to, on PostgreSQL', () => {
  replyOutcomesSuite(pgUrl);
});
