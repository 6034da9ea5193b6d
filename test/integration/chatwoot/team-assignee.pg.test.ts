import { describePg, pgUrl } from '../../support/postgres';
import { teamAssigneeSuite } from './team-assignee-suite';

describePg('a Chatwoot team\'s assignee stays the same here and in Chatwoot, on PostgreSQL', () => {
  teamAssigneeSuite(pgUrl);
});
