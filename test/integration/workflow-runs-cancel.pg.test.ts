import { describePg, pgUrl } from '../support/postgres';
import { workflowRunsCancelSuite } from './workflow-runs-cancel-suite';

describePg('cancelling a workflow\'s runs (PostgreSQL)', () => {
  workflowRunsCancelSuite(pgUrl);
});
