import { describe } from 'vitest';
import { assignTurnBackSuite } from './assign-turn-back-suite';

describe('a round robin turn whose Chatwoot assignment failed', () => {
  assignTurnBackSuite(() => undefined);
});
