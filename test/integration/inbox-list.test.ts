import { describe } from 'vitest';
import { inboxListSuite } from './inbox-list';

describe('inbox conversation list on SQLite', () => {
  inboxListSuite(() => undefined);
});
