import { afterEach, beforeEach, describe } from 'vitest';
import { startChatwootPair, type ChatwootPair } from './harness';
import { chatwootStepCancelSuite } from './step-cancel-suite';

describe('cancelling a run during a Chatwoot step (SQLite)', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true }); });
  afterEach(async () => { await p.close(); });
  chatwootStepCancelSuite(() => p);
});
