import { describePg, pgUrl } from '../support/postgres';
import { workflowChangeLinesSuite } from './workflow-change-lines-suite';

describePg('a workflow\'s assignments and closes in the thread (PostgreSQL)', () => {
  workflowChangeLinesSuite(pgUrl);
});
