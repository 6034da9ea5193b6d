import { describePg, pgUrl } from '../../support/postgres';
import { chatwootAccountLifecycleSuite } from './account-lifecycle-suite';

describePg('a Chatwoot account over time, on PostgreSQL', () => {
  chatwootAccountLifecycleSuite(pgUrl);
});
