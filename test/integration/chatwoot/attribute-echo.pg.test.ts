import { describePg, pgUrl } from '../../support/postgres';
import { chatwootAttributeEchoSuite } from './attribute-echo-suite';

describePg('custom fields written on a Chatwoot conversation, on PostgreSQL', () => {
  chatwootAttributeEchoSuite(pgUrl);
});
