import { stepVariablesSuite } from './step-variables-suite';

stepVariablesSuite(() => undefined);
