import { describe } from 'vitest';
import { leastOpenSuite } from './least-open-suite';

describe('Assign to, least open, with Chatwoot', () => {
  leastOpenSuite(() => undefined);
});
