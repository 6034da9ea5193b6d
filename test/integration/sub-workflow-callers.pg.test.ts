import { describePg, pgUrl } from '../support/postgres';
import { subWorkflowCallersSuite } from './sub-workflow-callers-suite';

describePg('sub-workflow callers on PostgreSQL', () => subWorkflowCallersSuite(pgUrl));
