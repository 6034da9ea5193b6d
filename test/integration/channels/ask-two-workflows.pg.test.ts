import { describePg, pgUrl } from '../../support/postgres';
import { askTwoWorkflowsSuite } from './ask-two-workflows-suite';

describePg('Two workflows asking one customer, on PostgreSQL', () => {
  askTwoWorkflowsSuite(pgUrl);
});
