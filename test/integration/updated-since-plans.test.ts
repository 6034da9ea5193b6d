import { describe } from 'vitest';
import { updatedSincePlansSuite } from './updated-since-plans-suite';

describe('GET /conversations?updatedSince= at scale (SQLite)', () => {
  updatedSincePlansSuite(() => undefined);
});
