import { customerEventsSuite } from './customer-events-suite';

customerEventsSuite(() => undefined);
