import { questionTimeLimitSuite } from './question-time-limit-suite';

questionTimeLimitSuite(() => undefined);
