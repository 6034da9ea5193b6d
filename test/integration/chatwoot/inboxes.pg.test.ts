import { describePg, pgUrl } from '../../support/postgres';
import { chatwootInboxesSuite } from './inboxes-suite';

describePg('Chatwoot inboxes and channels in workflows, on PostgreSQL', () => {
  chatwootInboxesSuite(pgUrl);
});
