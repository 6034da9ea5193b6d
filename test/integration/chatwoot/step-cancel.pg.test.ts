import { afterEach, beforeEach } from 'vitest';
import { describePg, pgUrl } from '../../support/postgres';
import { startChatwootPair, type ChatwootPair } from './harness';
import { chatwootStepCancelSuite } from './step-cancel-suite';

describePg('cancelling a run during a Chatwoot step (PostgreSQL)', () => {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true, databaseUrl: pgUrl() }); });
  afterEach(async () => { await p.close(); });
  chatwootStepCancelSuite(() => p);
});
