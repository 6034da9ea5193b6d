import { afterEach, beforeEach, expect, it } from 'vitest';
import { LaunchResult } from '../../lib/contracts/shortcuts';
import type { RunningServer } from '../../server/server';
import { insertContact } from '../support/builders';
import { describePg, pgInstances, pgUrl } from '../support/postgres';
import { startTestServer, type TestServer } from '../support/server';
import { shortcutWorkflow } from './engine-support';
import { answerBehindBacklog, behindBacklog, chainBehindBacklog, claimDueWaiting, shortcutBehindBacklog } from './express-support';

// PostgreSQL: the launching instance claims the run itself (FOR UPDATE SKIP LOCKED, as a pick
// would) and executes it beside the queued rounds in flight.

// At most this share of the backlog ends before the run someone waits on. Without the express
// lane 3,776-4,000 of 4,000 end first; with it 0-1,088 in quiet runs, up to 1,632 beside a CPU hog
// (twenty-sixth session). Half, the bound before, failed once (2,144) in a full suite run beside a
// CPU hog, and once (2,208) alone, before express runs kept the rounds beside them small.
const AHEAD = 0.75;

describePg('runs someone waits on go ahead of the queue (PostgreSQL)', () => {
  let server: TestServer;
  beforeEach(async () => { server = await startTestServer({ databaseUrl: pgUrl()! }); });
  afterEach(async () => { await server.close(); });

  it('an agent\'s shortcut completes while a backlog queued before it is still being worked through', async () => {
    // More contacts than a few picks take: with 40, every backlog pair is in hand after the
    // first picks and the next pick reaches the shortcut anyway.
    const { endedBefore, backlog } = await shortcutBehindBacklog(server, { contacts: 400, perContact: 10 });
    expect(endedBefore).toBeLessThan(backlog * AHEAD);
  });

  it('a customer\'s answer to a question resumes its run while the backlog is still being worked through', async () => {
    const { endedBefore, backlog } = await answerBehindBacklog(server, { contacts: 400, perContact: 10 });
    expect(endedBefore).toBeLessThan(backlog * AHEAD);
  });

  it('what a shortcut\'s run starts (another workflow, a workflow its tag triggers) also goes ahead of the backlog', async () => {
    const { endedBefore, backlog } = await chainBehindBacklog(server, { contacts: 400, perContact: 10 });
    expect(endedBefore).toBeLessThan(backlog * AHEAD);
  });
});

describePg('the express claim (PostgreSQL)', () => {
  let server: TestServer;
  beforeEach(async () => { server = await startTestServer({ databaseUrl: pgUrl()!, workers: false }); });
  afterEach(async () => { await server.close(); });

  it('takes a waiting run it names once it is due (a question just answered), not before', async () => {
    const { early, due, asked } = await claimDueWaiting(server);
    expect(early).toEqual([]);
    expect(due).toEqual([[asked, 'running']]);
  });
});

describePg('runs someone waits on, launched on an instance that executes none (PostgreSQL)', () => {
  const instances = pgInstances(2, { workers: [false, true] });

  it('the instance that executes runs is told at once (NOTIFY) and runs the shortcut ahead of the backlog', async () => {
    const [front] = instances as [RunningServer, RunningServer];
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${front.url}/api/v1${p}`, { method, headers: { authorization: `Bearer ${front.tokens.admin}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect(res.status, p).toBeLessThan(300);
      return res.json() as Promise<any>;
    };
    const shortcut = await call('POST', '/workflows', shortcutWorkflow());
    await call('POST', `/workflows/${shortcut.id}/publish`);
    const { conversation } = await insertContact(front.app.services);
    const { endedBefore, backlog } = await behindBacklog(front, { contacts: 400, perContact: 10 }, async () =>
      LaunchResult.parse(await call('POST', `/shortcuts/${shortcut.id}/launch`, { conversationId: conversation!.id, values: {} })).runId);
    expect(endedBefore).toBeLessThan(backlog * AHEAD);
  });
});
