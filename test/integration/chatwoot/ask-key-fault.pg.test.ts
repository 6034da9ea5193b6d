import { describePg, pgUrl } from '../../support/postgres';
import { askKeyFaultSuite } from './ask-key-fault-suite';

describePg('a Chatwoot question sent while the database refuses the write after the send, on PostgreSQL', () => {
  askKeyFaultSuite(pgUrl);
});
