import { describe } from 'vitest';
import { assignAskOpenFirstSuite } from './assign-ask-open-first-suite';

describe('Assign to and Ask a Question with no conversation open, on SQLite', () => {
  assignAskOpenFirstSuite(() => undefined);
});
