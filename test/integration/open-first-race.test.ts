import { describe } from 'vitest';
import { openFirstRaceSuite } from './open-first-race-suite';

describe('a step that opens the conversation first, the conversation closed as it began, on SQLite', () => {
  openFirstRaceSuite(() => undefined);
});
