import { describe } from 'vitest';
import { askKeyFaultSuite } from './ask-key-fault-suite';

describe('a Chatwoot question sent while the database refuses the write after the send', () => {
  askKeyFaultSuite(() => undefined);
});
