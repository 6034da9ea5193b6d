import { describePg, pgUrl } from '../support/postgres';
import { workflowPagesSuite } from './workflow-pages-suite';

describePg('GET /workflows pages (PostgreSQL)', () => {
  workflowPagesSuite(pgUrl);
});
