import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Message } from '../../../lib/contracts/conversations';
import { inTransaction } from '../../../server/events/unit-of-work';
import { nextWamid, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { whatsappEdit } from '../../fixtures/meta/message-kinds';
import { describePg, pgUrl } from '../../support/postgres';
import { waitFor } from '../../support/wait';
import { conversationOf, startChannelWorld, type ChannelWorld } from './support';

// Meta sends webhooks in parallel and in no promised order. Two edits of one message arriving at
// once on PostgreSQL both read the message before either wrote: the one committing last won
// whatever its time (an older edit replacing a newer one), and the other vanished from the
// earlier versions. Made deterministic by holding the message's row until both edits wait for it.

describePg('two edits of one message at once (PostgreSQL)', () => {
  let w: ChannelWorld;
  beforeEach(async () => { w = await startChannelWorld({ databaseUrl: pgUrl()! }); });
  afterEach(async () => { await w.close(); });

  it('the newer edit stays when an older one arrives at the same moment', async () => {
    const id = nextWamid();
    await w.deliver(whatsappPlainMessage({ waId: '14155550151', text: 'Table for 3 at 8pm', id }));
    const { conversation } = await conversationOf(w.server, 'phone=%2B14155550151');
    const db = w.server.app.services.db;
    const seconds = Math.floor(Date.now() / 1000) - 60;
    /** Sessions waiting behind the holder: for its row, or in the queue for it behind one that does (another test's are not counted). */
    const waitingFor = async (holder: number) => Number((await sql<{ n: string }>`WITH first AS (
        SELECT pid FROM pg_stat_activity WHERE ${holder} = ANY(pg_blocking_pids(pid)))
      SELECT count(*) AS n FROM pg_stat_activity
      WHERE ${holder} = ANY(pg_blocking_pids(pid)) OR pg_blocking_pids(pid) && ARRAY(SELECT pid FROM first)`.execute(db)).rows[0]!.n);
    let edits: Promise<unknown>[] = [];
    await inTransaction(db, async (uow) => {
      await uow.trx.selectFrom('messages').select('id').where('external_id', '=', id).forUpdate().execute();
      const holder = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(uow.trx)).rows[0]!.pid;
      // The customer's second edit (a minute ago) is delivered first, the first edit (a second before it) right after.
      edits.push(w.deliver(whatsappEdit({ waId: '14155550151', original: id, text: 'Table for 4 at 9pm', timestamp: seconds + 1 })));
      await waitFor('the newer edit to wait', async () => ((await waitingFor(holder)) === 1 ? true : undefined), 5_000);
      edits.push(w.deliver(whatsappEdit({ waId: '14155550151', original: id, text: 'Table for 4 at 8pm', timestamp: seconds })));
      await waitFor('the older edit to wait', async () => ((await waitingFor(holder)) === 2 ? true : undefined), 5_000);
    });
    await Promise.all(edits);
    edits = [];

    const [message] = ((await w.server.api(w.server.adminToken).get(`/conversations/${conversation.id}`)).body.messages as unknown[]).map((m) => Message.parse(m));
    expect(message).toMatchObject({ text: 'Table for 4 at 9pm', edited: { count: 1, previous: [{ text: 'Table for 3 at 8pm' }] } });
  });
});
