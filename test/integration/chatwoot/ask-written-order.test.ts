import { describe } from 'vitest';
import { askWrittenOrderSuite } from './ask-written-order-suite';

describe('a Chatwoot customer\'s messages written before a question, delivered after it', () => {
  askWrittenOrderSuite(() => undefined);
});
