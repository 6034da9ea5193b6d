import { describe } from 'vitest';
import { chatwootChangeHostSuite } from './change-host-suite';

describe('a connected Chatwoot moved to another host: the stored token stays with its host', () => {
  chatwootChangeHostSuite(() => undefined);
});
