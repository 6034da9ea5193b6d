import { describePg, pgUrl } from '../support/postgres';
import { builtInReplyKeysSuite } from './built-in-reply-keys-suite';

describePg('Idempotency-Keys of built-in conversations\' messages on PostgreSQL', () => {
  builtInReplyKeysSuite(pgUrl);
});
