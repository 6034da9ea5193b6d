import { describe } from 'vitest';
import { followUpAfterCloseSuite } from './follow-up-after-close-suite';

describe('a follow-up sent after the conversation closed, on SQLite', () => {
  followUpAfterCloseSuite(() => undefined);
});
