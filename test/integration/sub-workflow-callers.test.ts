import { subWorkflowCallersSuite } from './sub-workflow-callers-suite';

subWorkflowCallersSuite(() => undefined);
