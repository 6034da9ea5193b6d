import { deactivationLinesSuite } from './deactivation-lines-suite';

deactivationLinesSuite(() => undefined);
