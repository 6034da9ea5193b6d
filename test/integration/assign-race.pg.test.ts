import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ConversationDetail } from '../../lib/contracts/conversations';
import { inTransaction } from '../../server/events/unit-of-work';
import { describePg, pgUrl } from '../support/postgres';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

// The assign rule against a reassignment made meanwhile, on PostgreSQL (assign-race.test.ts:
// SQLite). Ava, an agent, unassigns her conversation; between the route's read of who has it
// and its write, a supervisor's transaction gives it to Ben. The rule was checked on that earlier
// read only, so Ava's "unassign mine" dropped Ben's assignment. Made deterministic with the
// supervisor's transaction holding the conversation's row until Ava's request waits for it.

describePg('an agent unassigning while a supervisor reassigns (PostgreSQL)', () => {
  let server: TestServer;
  let admin: Api;
  let ava: { api: Api; id: string };
  let ben: string;
  beforeEach(async () => {
    server = await startTestServer({ databaseUrl: pgUrl()!, poolSize: 10, workers: false });
    admin = server.api(server.adminToken);
    const a = await server.createUser('agent', { name: 'Ava Agent' });
    ava = { api: server.api(a.token), id: a.user.id };
    ben = (await server.createUser('agent', { name: 'Ben Agent' })).user.id;
  });
  afterEach(async () => { await server.close(); });

  it('an agent\'s "unassign mine" that a reassignment overtook is refused; the colleague keeps it', async () => {
    const db = server.app.services.db;
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Lena' })).body);
    const id = (await admin.post('/conversations', { contactId: contact.id })).body.id as string;
    expect((await admin.post(`/conversations/${id}/assign`, { userId: ava.id })).status).toBe(200);

    /** How many sessions wait for the one holding the row (another test's sessions are not counted). */
    const waitingFor = async (holder: number) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity
      WHERE ${holder} = ANY(pg_blocking_pids(pid))`.execute(db)).rows[0]!.n);
    let unassign: Promise<{ status: number; body: any }> | undefined;
    await inTransaction(db, async (uow) => {
      await uow.trx.selectFrom('conversations').select('id').where('id', '=', id).forUpdate().execute();
      const holder = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(uow.trx)).rows[0]!.pid;
      unassign = ava.api.post(`/conversations/${id}/assign`, { userId: null });
      // Ava's request has read the conversation (hers) and waits for this transaction's row.
      await waitFor('Ava\'s request to wait for the row', async () => ((await waitingFor(holder)) > 0 ? true : undefined), 5_000);
      await uow.trx.updateTable('conversations').set({ assignee_id: ben }).where('id', '=', id).execute();
    });

    const res = await unassign!;
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(ConversationDetail.parse((await admin.get(`/conversations/${id}`)).body).assigneeId).toBe(ben);
  });
});
