import { describePg, pgUrl } from '../../support/postgres';
import { chatwootChangeAddressSuite } from './change-address-suite';

describePg('a connected Chatwoot that moved (https, another address), on PostgreSQL', () => {
  chatwootChangeAddressSuite(pgUrl);
});
