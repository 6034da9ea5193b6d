import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Services } from '../../server/services';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type TestServer } from '../support/server';
import { roundOfComments } from './engine-round-comments';
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

  it('comment steps cost no round trip of their own: the conversation comes from the round, the message goes with the next statement', async () => {
    const { roundTrips } = await roundOfComments(services, 40);
    // Each comment's conversation read and insert took a round trip each: 6.45 per run here,
    // measured, against 2.4 now (the round's own: pick, contacts, checkpoints, commit, shared by
    // the few runs a round of this test takes).
    expect(roundTrips).toBeLessThan(4);
  });
});
