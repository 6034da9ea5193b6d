import { describePg, pgUrl } from '../support/postgres';
import { runRerunRefusedWorkflowSuite } from './run-rerun-refused-workflow-suite';

describePg('the run history words an unpublished or deleted workflow as Run again\'s 409 does, on PostgreSQL', () => {
  runRerunRefusedWorkflowSuite(pgUrl);
});
