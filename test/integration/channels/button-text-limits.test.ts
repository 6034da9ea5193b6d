import { describe } from 'vitest';
import { buttonTextLimitsSuite } from './button-text-limits-suite';

describe('Reply buttons’ text per channel, on SQLite', () => {
  buttonTextLimitsSuite(() => undefined);
});
