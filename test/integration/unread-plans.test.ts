import { describe } from 'vitest';
import { unreadPlansSuite } from './unread-plans-suite';

describe('the list\'s unread counts at scale (SQLite)', () => {
  unreadPlansSuite(() => undefined);
});
