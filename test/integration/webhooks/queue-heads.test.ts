import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from './support';

// A contact's runs of one workflow go one after another. On SQLite a webhook stores a run that
// must wait for an earlier one already marked blocked, so claims read only queue heads and no
// claim has to write each stored run a second time.
let server: TestServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const post = (s: TestServer, path: string, body: unknown) =>
  s.request('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('webhook runs behind an unfinished run of their pair (SQLite)', () => {
  it('are stored blocked: in one batch and across batches; another contact\'s run is not', async () => {
    server = await startTestServer({ workers: false });
    const s = server;
    await makeContact(s, { phone: '+14155550123' });
    await makeContact(s, { phone: '+14155550124' });
    const hook = await publishWebhookWorkflow(s);
    const burst = await Promise.all([1, 2, 3].map((n) => post(s, hook.path, { phone: '+14155550123', order: { id: `A-${n}` } })));
    expect(burst.map((r) => r.status)).toEqual([202, 202, 202]);
    const later = await post(s, hook.path, { phone: '+14155550123', order: { id: 'A-4' } });
    const other = await post(s, hook.path, { phone: '+14155550124', order: { id: 'B-1' } });
    expect([later.status, other.status]).toEqual([202, 202]);

    const rows = await s.store.db.selectFrom('runs').select(['id', 'contact_id', 'blocked']).orderBy('id').execute();
    const byContact = (phoneRun: string) => rows.filter((r) => r.contact_id === phoneRun).map((r) => Number(r.blocked));
    const [first, second] = [...new Set(rows.map((r) => r.contact_id))];
    expect(byContact(first!)).toEqual([0, 1, 1, 1]);
    expect(byContact(second!)).toEqual([0]);
  });

  it('still run one at a time, in the order they came, once the executor runs', async () => {
    server = await startTestServer();
    const s = server;
    await makeContact(s, { phone: '+14155550123' });
    const hook = await publishWebhookWorkflow(s, {}, [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['shipped'] } }]);
    const acks = await Promise.all([1, 2, 3, 4, 5].map((n) => post(s, hook.path, { phone: '+14155550123', order: { id: `A-${n}` } })));
    const runs = await Promise.all(acks.map((a) => waitForRun(s, a.body.runIds[0])));
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
    // Each started after the one before it ended.
    const ordered = [...runs].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (let i = 1; i < ordered.length; i++) expect(ordered[i].stepLog[0].startedAt >= ordered[i - 1].stepLog.at(-1).endedAt).toBe(true);
  });
});
