import { describePg, pgUrl } from '../../support/postgres';
import { chatwootStandardFieldsSuite } from './standard-fields-suite';

describePg('standard fields written on a Chatwoot conversation, on PostgreSQL', () => {
  chatwootStandardFieldsSuite(pgUrl);
});
