import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/wait';
import { startChatwootPair, type ChatwootPair } from './harness';

// The periodic reconcile (CHATWOOT_SYNC_SECONDS) as Chatwoot sees it. It was a bare setInterval:
// a period past 2^31 ms fired every millisecond (4,041 requests in 3 s with one account), and a
// pass slower than the period was followed by the next one at once. Periods are set through the
// config here, past the bounds the environment allows (10 s to a week), to watch them in seconds.
describe('the periodic Chatwoot sync', () => {
  let p: ChatwootPair;
  afterEach(async () => { await p.close(); });

  const passStarts = () => p.cw.requests.filter((r) => r.path.includes('/conversations?status=open&') && r.path.endsWith('&page=1'));

  it('a period longer than Node\'s timers allow (a monthly sync) is waited: Chatwoot hears nothing meanwhile', async () => {
    p = await startChatwootPair({ workers: true, config: { chatwootSyncSeconds: 30 * 86_400 } });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(p.cw.requests).toEqual([]);
  });

  it('a slow Chatwoot: the next pass starts a whole period after the last one ended, never on its heels', async () => {
    const periodMs = 400;
    p = await startChatwootPair({ workers: true, config: { chatwootSyncSeconds: periodMs / 1000 } });
    p.cw.addContact({ name: 'Jane Doe' });
    p.cw.answerDelayMs = 150;
    await waitFor('four passes', async () => (passStarts().length >= 4 ? true : undefined), 15_000);
    const requests = [...p.cw.requests];
    const starts = passStarts().slice(0, 4);
    const gaps = starts.slice(1).map((start) => {
      const last = requests[requests.indexOf(start) - 1]!;
      // The last answer of the pass before went out answerDelayMs after its request arrived.
      return start.at - (last.at + p.cw.answerDelayMs);
    });
    // A few milliseconds of slack: Node's timers may fire a millisecond early.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(periodMs - 5);
  }, 30_000);
});
