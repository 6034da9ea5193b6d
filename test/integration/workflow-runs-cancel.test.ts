import { workflowRunsCancelSuite } from './workflow-runs-cancel-suite';

workflowRunsCancelSuite(() => undefined);
