import { describe } from 'vitest';
import { closedConversationSuite } from './closed-conversation-suite';

describe('a closed conversation on SQLite', () => {
  closedConversationSuite(() => undefined);
});
