import { emptyVariablesSuite } from './empty-variables-suite';

emptyVariablesSuite(() => undefined);
