import { describePg, pgUrl } from '../support/postgres';
import { workflowImportReplaceSuite } from './workflow-import-replace-suite';

describePg('workflow import replacing workflows on PostgreSQL', () => workflowImportReplaceSuite(pgUrl));
