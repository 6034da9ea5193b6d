import { askTwoWorkflowsSuite } from './ask-two-workflows-suite';

askTwoWorkflowsSuite(() => undefined);
