import { describe } from 'vitest';
import { chatwootInboxesSuite } from './inboxes-suite';

describe('Chatwoot inboxes and channels in workflows', () => {
  chatwootInboxesSuite(() => undefined);
});
