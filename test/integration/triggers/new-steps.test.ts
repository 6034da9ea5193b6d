import { newStepsSuite } from './new-steps-suite';

newStepsSuite(() => undefined);
