import { describe } from 'vitest';
import { chatwootMessageEditsSuite } from './message-edits-suite';

describe('messages edited in Chatwoot read as edited here', () => {
  chatwootMessageEditsSuite(() => undefined);
});
