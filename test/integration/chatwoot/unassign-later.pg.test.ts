import { describePg, pgUrl } from '../../support/postgres';
import { unassignLaterSuite } from './unassign-later-suite';

describePg('an unassign Chatwoot put off at a deactivation is tried again, on PostgreSQL', () => {
  unassignLaterSuite(pgUrl);
});
