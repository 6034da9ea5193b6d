import { describe } from 'vitest';
import { replyOutcomesSuite } from './reply-outcomes-suite';

describe('What an agent’s reply on WhatsApp / Messenger leads to, on SQLite', () => {
  replyOutcomesSuite(() => undefined);
});
