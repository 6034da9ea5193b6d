import { runContactsSuite } from './run-contacts-suite';

runContactsSuite(() => undefined);
