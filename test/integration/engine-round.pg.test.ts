import { afterEach, beforeEach, it } from 'vitest';
import type { Services } from '../../server/services';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type TestServer } from '../support/server';
import { roundWithFailingSteps } from './engine-round-failing-step';

// Queued rounds on PostgreSQL (batch-round.ts, queuedRoundPostgres): the row lock is the claim.
// What a round cannot finish (a failing step rolls it back) must still reach the per-run path.

describePg('runs advanced together on PostgreSQL (queued rounds)', () => {
  let server: TestServer;
  let services: Services;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: pgUrl()! });
    services = server.app.services;
  });
  afterEach(async () => { await server.close(); });

  it('a run whose step fails in a round fails alone with its error; the others in the round complete', async () => {
    await roundWithFailingSteps(services, 12);
  });
});
