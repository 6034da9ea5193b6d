import { describe } from 'vitest';
import { inboxApiSuite } from './inbox-api';

describe('inbox API on SQLite', () => {
  inboxApiSuite(() => undefined);
});
