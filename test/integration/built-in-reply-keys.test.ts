import { describe } from 'vitest';
import { builtInReplyKeysSuite } from './built-in-reply-keys-suite';

describe('Idempotency-Keys of built-in conversations\' messages on SQLite', () => {
  builtInReplyKeysSuite(() => undefined);
});
