import { describe } from 'vitest';
import { inboxUnreadSuite } from './inbox-unread';

describe('unread counts per user on SQLite', () => {
  inboxUnreadSuite(() => undefined);
});
