import { describe } from 'vitest';
import { chatwootMessageTimesSuite } from './message-times-suite';

describe('Chatwoot messages keep Chatwoot\'s times', () => {
  chatwootMessageTimesSuite(() => undefined);
});
