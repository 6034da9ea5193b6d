import { describe } from 'vitest';
import { chatwootMissedMessagesSuite } from './missed-messages-suite';

describe('a Chatwoot message whose message_created was lost is stored by its message_updated', () => {
  chatwootMissedMessagesSuite(() => undefined);
});
