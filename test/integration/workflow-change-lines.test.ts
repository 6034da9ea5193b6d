import { workflowChangeLinesSuite } from './workflow-change-lines-suite';

workflowChangeLinesSuite(() => undefined);
