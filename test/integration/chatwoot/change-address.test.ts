import { describe } from 'vitest';
import { chatwootChangeAddressSuite } from './change-address-suite';

describe('a connected Chatwoot that moved (https, another address)', () => {
  chatwootChangeAddressSuite(() => undefined);
});
