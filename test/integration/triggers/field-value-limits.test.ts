import { fieldValueLimitsSuite } from './field-value-limits-suite';

fieldValueLimitsSuite(() => undefined);
