import { describePg, pgUrl } from '../support/postgres';
import { workflowFiltersSuite } from './workflow-filters-suite';

describePg('GET /workflows search and filters (PostgreSQL)', () => {
  workflowFiltersSuite(pgUrl);
});
