import { afterAll, beforeAll, it } from 'vitest';
import type { RunningServer } from '../../../server/server';
import { startChatwootStandin, type ChatwootStandin } from '../../support/chatwoot-standin';
import { describePg, pgInstances } from '../../support/postgres';
import { connectLater } from './contact-step-connect-later';

describePg('a Chatwoot account connected after contact writes ran, across two instances (PostgreSQL)', () => {
  // The first takes the requests (connect, disconnect), the second executes the runs.
  const instances = pgInstances(2, { workers: [false, true], env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0' } });
  let cw: ChatwootStandin;
  beforeAll(async () => { cw = await startChatwootStandin(); });
  afterAll(async () => { await cw.close(); });

  it('each connect and disconnect made on one instance counts on the other from the next step', async () => {
    const [requests] = instances as [RunningServer, RunningServer];
    await connectLater({ url: requests.url, token: requests.tokens.admin! }, cw);
  });
});
