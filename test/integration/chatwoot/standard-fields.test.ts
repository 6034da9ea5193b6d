import { describe } from 'vitest';
import { chatwootStandardFieldsSuite } from './standard-fields-suite';

describe('standard fields written on a Chatwoot conversation', () => {
  chatwootStandardFieldsSuite(() => undefined);
});
