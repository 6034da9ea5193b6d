import { describe } from 'vitest';
import { numberFormsSuite } from './number-forms-suite';

describe('Mexican and Argentine numbers in either form, on SQLite', () => {
  numberFormsSuite(() => undefined);
});
