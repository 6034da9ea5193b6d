import { describe } from 'vitest';
import { inboxFiltersSuite } from './inbox-filters';

describe('the list\'s Unread, channel and message search filters on SQLite', () => {
  inboxFiltersSuite(() => undefined);
});
