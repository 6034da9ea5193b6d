import { describe } from 'vitest';
import { chatwootAccountLifecycleSuite } from './account-lifecycle-suite';

describe('a Chatwoot account over time: reconnected, conversations deleted there, imported', () => {
  chatwootAccountLifecycleSuite(() => undefined);
});
