import { describePg, pgUrl } from '../support/postgres';
import { endWorkflowTargetSuite } from './end-workflow-target-suite';

describePg('a branch or jump that ends the workflow (PostgreSQL)', () => {
  endWorkflowTargetSuite(pgUrl);
});
