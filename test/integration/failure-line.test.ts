import { failureLineSuite } from './failure-line-suite';

failureLineSuite(() => undefined);
