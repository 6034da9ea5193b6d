import { describe } from 'vitest';
import { threadPagePlansSuite } from './thread-page-plans-suite';

describe('a long thread read a page at a time (SQLite)', () => {
  threadPagePlansSuite(() => undefined);
});
