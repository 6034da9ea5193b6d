import { afterEach, beforeEach, expect, it } from 'vitest';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type TestServer } from '../support/server';
import { shortcutBehindBacklog } from './express-support';

// PostgreSQL: the launching instance claims the run itself (FOR UPDATE SKIP LOCKED, as a pick
// would) and executes it beside the queued rounds in flight.
describePg('runs someone waits on go ahead of the queue (PostgreSQL)', () => {
  let server: TestServer;
  beforeEach(async () => { server = await startTestServer({ databaseUrl: pgUrl()! }); });
  afterEach(async () => { await server.close(); });

  it('an agent\'s shortcut completes while a backlog queued before it is still being worked through', async () => {
    // More contacts than a few picks take: with 40, every backlog pair is in hand after the
    // first picks and the next pick reaches the shortcut anyway.
    const { endedBefore, backlog } = await shortcutBehindBacklog(server, { contacts: 400, perContact: 10 });
    expect(endedBefore).toBeLessThan(backlog / 2);
  });
});
