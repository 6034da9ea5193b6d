import { endWorkflowTargetSuite } from './end-workflow-target-suite';

endWorkflowTargetSuite(() => undefined);
