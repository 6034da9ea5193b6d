import { describePg, pgUrl } from '../../support/postgres';
import { replyKeysSuite } from './reply-keys-suite';

describePg('Idempotency-Keys of agents’ replies through Meta channels, on PostgreSQL', () => {
  replyKeysSuite(pgUrl);
});
