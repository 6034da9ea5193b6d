import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messengerText } from '../../fixtures/meta/payloads';
import type { GraphErrorAnswer } from '../../support/graph-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { PAGE, startChannelWorld, type ChannelWorld } from './support';

// The first workflow message to a new Messenger contact greets them by the name Meta's User
// Profile API gives, not the placeholder: the profile is read before the contact is created.

let w: ChannelWorld;
let welcomeId: string;
beforeEach(async () => {
  w = await startChannelWorld();
  welcomeId = (await createWorkflow(w.server, { name: 'Welcome', trigger: { type: 'conversation_opened' }, steps: [{ id: 'hi', type: 'send_message', config: { text: 'Hi {{$contact.firstName}}' } }] })).id;
});
afterEach(async () => { await w.close(); });

const profileReads = (psid: string) => w.graph.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/${psid}`));
const welcomes = () => w.graph.sent.filter((s) => s.kind === 'messenger').map((s) => s.body.message.text);
async function contactNames() {
  const rows = await w.server.store.db.selectFrom('contacts').select(['first_name', 'last_name']).orderBy('first_name').execute();
  return rows.map((r) => `${r.first_name} ${r.last_name}`);
}
/** The Welcome workflow's only run, once it ended. */
const welcomeRun = () => waitFor('the Welcome run to end', async () => {
  const [run, ...more] = await runsOf(w.server, welcomeId);
  expect(more).toEqual([]);
  return run && ['completed', 'failed'].includes(run.status) ? run : undefined;
});
// A Page without profile access: https://developers.facebook.com/docs/graph-api/guides/error-handling (OAuthException, permission).
const refused: GraphErrorAnswer = { status: 400, error: { message: '(#230) Requires pages_messaging permission to manage the object', type: 'OAuthException', code: 230 } };

describe('a new Messenger contact’s welcome', () => {
  it('uses the name from the User Profile API; a known contact’s messages and Meta’s repeats ask Meta nothing more', async () => {
    w.graph.addProfile({ psid: '7100000000001', pageId: PAGE.pageId, firstName: 'Lena', lastName: 'Berg' });
    const first = messengerText({ psid: '7100000000001', text: 'Hello' });
    const res = await w.deliver(first);
    expect(res.status).toBe(200);
    const run = await welcomeRun();
    expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
    expect(welcomes()).toEqual(['Hi Lena']);
    expect(await contactNames()).toEqual(['Lena Berg']);

    expect((await w.deliver(first)).body).toMatchObject({ duplicates: 1, runIds: [] });
    expect((await w.deliver(messengerText({ psid: '7100000000001', text: 'Still there?' }))).body).toMatchObject({ received: 1, runIds: [] });
    expect(profileReads('7100000000001')).toHaveLength(1);
    // The answer lists the run the message started (the README's `runIds`).
    expect(res.body).toMatchObject({ received: 1, runIds: [run.id] });
  });

  it('a Page without profile access: the placeholder at once, and Meta is asked once only', async () => {
    w.graph.failNext(refused);
    expect((await w.deliver(messengerText({ psid: '7100000000003', text: 'Hello' }))).status).toBe(200);
    expect((await welcomeRun()).status).toBe('completed');
    expect(welcomes()).toEqual(['Hi Messenger user']);
    await new Promise((r) => setTimeout(r, 200));
    expect(profileReads('7100000000003')).toHaveLength(1);
    expect(await contactNames()).toEqual(['Messenger user 0003']);
  });

  it('Meta slow to answer: the webhook answers within its wait with the placeholder, and the contact is renamed when Meta answers', async () => {
    w.graph.addProfile({ psid: '7100000000004', pageId: PAGE.pageId, firstName: 'Lena', lastName: 'Berg', delayMs: 2500 });
    const started = Date.now();
    const res = await w.deliver(messengerText({ psid: '7100000000004', text: 'Hello' }));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2300);
    expect((await welcomeRun()).status).toBe('completed');
    expect(welcomes()).toEqual(['Hi Messenger user']);
    await waitFor('the rename', async () => ((await contactNames()).includes('Lena Berg') ? true : undefined));
  });
});
