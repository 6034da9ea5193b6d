import { describePg, pgUrl } from '../support/postgres';
import { contactWriteRoundSuite } from './engine-round-contact-writes-suite';

describePg('contact writes in a run round, no Chatwoot account connected, on PostgreSQL', () => {
  contactWriteRoundSuite(pgUrl);
});
