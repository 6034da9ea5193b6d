import { afterEach, beforeEach, expect, it, describe } from 'vitest';
import { listMessages } from '../../server/domain/conversations';
import { executeQueuedRound, type RoundResult } from '../../server/engine/executor/batch-round';
import type { Services } from '../../server/services';
import { queueRuns } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';

// SQLite queued rounds take a share of the round in new heads and chain their pairs' next runs
// for the rest (as PostgreSQL's do): with backlogs, a round of 64 runs touches 8 contacts, not 64,
// so its contacts are read and written once for 8 runs each and its COMMIT writes fewer pages.
// With one run per contact the chains find nothing and new heads fill the round instead.

let server: TestServer;
let services: Services;
beforeEach(async () => {
  server = await startTestServer({ workers: false });
  services = server.app.services;
});
afterEach(async () => { await server.close(); });

const env = () => ({ services, owner: 'test-instance', stopping: () => false });

const queue = (contacts: number, perContact: number) =>
  queueRuns(services, contacts, perContact, [{ id: 'a', type: 'add_comment', config: { text: 'n{{$trigger.n}}' } }]);

async function round(limit: number, headShare: number) {
  let filled: boolean | undefined;
  const results = await executeQueuedRound(env(), limit, 60_000, { picked: () => {}, headShare, chained: (f) => { filled = f; } });
  return { results: results as RoundResult[], filled };
}

const contactsOf = async (results: RoundResult[]) => new Set((await services.db.selectFrom('runs').select('contact_id').where('id', 'in', results.map((r) => r.id)).execute()).map((r) => r.contact_id));

describe('SQLite queued rounds: a share in new heads, the rest chained', () => {
  it('with backlogs, a round of 64 at a share of 8 advances 8 contacts 8 runs each, in order, and says chains filled it', async () => {
    const { made, ids } = await queue(40, 25);
    const { results, filled } = await round(64, 8);
    expect(results).toHaveLength(64);
    expect(results.every((r) => r.status === 'completed')).toBe(true);
    expect((await contactsOf(results)).size).toBe(8);
    expect(filled).toBe(true);
    // Each contact's first eight runs, in order.
    for (const { conversation } of made.slice(0, 8)) {
      expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(Array.from({ length: 8 }, (_, n) => `n${n}`));
    }
    // Rounds go on until the backlog is done, every contact in order.
    for (let r = 0; r < 40 && (await services.db.selectFrom('runs').select('id').where('status', '=', 'queued').limit(1).execute()).length > 0; r++) await round(64, 8);
    const statuses = await services.db.selectFrom('runs').select('status').where('id', 'in', ids).execute();
    expect(statuses.every((s) => s.status === 'completed')).toBe(true);
    for (const { conversation } of made) {
      expect((await listMessages(services.db, conversation!.id)).map((m) => m.text)).toEqual(Array.from({ length: 25 }, (_, n) => `n${n}`));
    }
  });

  it('with one run per contact, new heads fill the round whatever the share, and it says chains did not', async () => {
    await queue(200, 1);
    const { results, filled } = await round(64, 8);
    expect(results).toHaveLength(64);
    expect((await contactsOf(results)).size).toBe(64);
    expect(filled).toBe(false);
  });
});
