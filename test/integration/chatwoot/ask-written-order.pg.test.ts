import { describePg, pgUrl } from '../../support/postgres';
import { askWrittenOrderSuite } from './ask-written-order-suite';

describePg('a Chatwoot customer\'s messages written before a question, delivered after it, on PostgreSQL', () => {
  askWrittenOrderSuite(pgUrl);
});
