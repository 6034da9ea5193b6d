import { describe } from 'vitest';
import { inboxViewsSuite } from './inbox-views';

describe('inbox views (Mine, Unassigned, All), previews and teammates on SQLite', () => {
  inboxViewsSuite(() => undefined);
});
