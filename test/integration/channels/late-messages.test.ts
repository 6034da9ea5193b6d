import { describe } from 'vitest';
import { lateMessagesSuite } from './late-messages-suite';

describe('Customers’ WhatsApp messages that came late or out of order, on SQLite', () => {
  lateMessagesSuite(() => undefined);
});
