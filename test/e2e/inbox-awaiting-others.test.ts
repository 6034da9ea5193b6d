import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRun } from '../support/builders';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, runsOf } from '../integration/engine-support';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// "Workflow … is waiting for the customer's answer — Take over" on Ava's open inbox goes by itself:
// within moments when Ben takes over from his, and at the question's time when it times out
// (before, it stayed until something else made her page fetch the conversation again).

const NOTICE = '[data-testid="awaiting-answer"]';
let server: TestServer;
let ava: InboxBrowser;
const ids = { workflow: '', contact: '', conversation: '' };
const admin = () => server.api(server.adminToken);

/** Asks Maria again (the tag added anew) and waits until the question waits. */
async function ask() {
  await admin().del(`/contacts/${ids.contact}/tags/go`);
  await admin().post(`/contacts/${ids.contact}/tags`, { tags: ['go'] });
  const runs = await runsOf(server, ids.workflow);
  const newest = runs.sort((a, b) => (a.id < b.id ? 1 : -1))[0]!;
  await waitForRun(server.app.services.db, newest.id, ['waiting']);
  return newest.id;
}
const noticeHidden = () => ava.page.$eval(NOTICE, (el) => (el as HTMLElement).hidden);

beforeAll(async () => {
  server = await startTestServer();
  const wf = await createWorkflow(server, {
    name: 'Order number', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] },
    steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Your order number?', answerType: 'text', timeoutSeconds: 3600 } }],
  });
  ids.workflow = wf.id;
  ids.contact = (await admin().post('/contacts', { firstName: 'Maria', lastName: 'Garcia' })).body.id;
  ids.conversation = (await admin().post('/conversations', { contactId: ids.contact })).body.id;
  const { token } = await server.createUser('agent', { name: 'Ava' });
  ava = await openSignedInInbox(server.url, token, { live: true });
});

afterAll(async () => {
  await ava?.close();
  await server?.close();
});

describe('the awaiting-answer notice on another agent\'s page', () => {
  it('goes within a second or so when a colleague takes over', async () => {
    await ask();
    await ava.page.goto(`${server.url}/inbox/c/${ids.conversation}`);
    await ava.page.waitForSelector('[data-testid="live-state"][data-state="live"]');
    await ava.page.waitForSelector(`${NOTICE}:not([hidden])`);

    const ben = await server.createUser('agent', { name: 'Ben' });
    const took = Date.now();
    const res = await server.api(ben.token).post(`/conversations/${ids.conversation}/awaiting-answer/take-over`, {});
    expect(res.body.stoppedRunId).not.toBeNull();
    await ava.page.waitForSelector(`${NOTICE}[hidden]`, { timeout: 3000 });
    expect(Date.now() - took).toBeLessThan(2000);
    expect(ava.pageErrors).toEqual([]);
  });

  it('goes at the question\'s time on its own, though nothing else changed', async () => {
    const runId = await ask();
    // Due in 2 s (a question waits at least a minute): the run itself is not woken before an hour.
    const until = new Date(Date.now() + 2000).toISOString();
    await server.app.services.db.updateTable('question_waits').set({ expires_at: until }).where('run_id', '=', runId).execute();
    await ava.page.reload();
    await ava.page.waitForSelector('[data-testid="live-state"][data-state="live"]');
    await ava.page.waitForSelector(`${NOTICE}:not([hidden])`);
    await ava.page.waitForSelector(`${NOTICE}[hidden]`, { timeout: 4000 });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(until));
    // The run wakes later, but the server goes by the same time as the page: nothing waits, and a
    // reply now would be the agent's, not the question's (question-time-limit-suite.ts).
    expect((await admin().get(`/conversations/${ids.conversation}`)).body.awaitingAnswer).toBeNull();
    expect((await admin().get(`/runs/${runId}`)).body).toMatchObject({ status: 'waiting' });
    expect(await noticeHidden()).toBe(true);
  });
});
