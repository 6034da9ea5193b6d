import { describe } from 'vitest';
import { appAuthoredMessagesSuite } from './app-authored-messages-suite';

describe('replies and notes posted with a mini-app\'s key are the app\'s (SQLite)', () => {
  appAuthoredMessagesSuite(() => undefined);
});
