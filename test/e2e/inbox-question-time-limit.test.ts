import { describe, expect, it } from 'vitest';
import { waitForRun } from '../support/builders';
import { liveInboxForFile } from './support/live-inbox';
import { shortcutAskingAfterOpeningWorkflow } from './support/two-questions-waiting';

// Two questions wait on Lena; the one asked last reaches its time limit before the engine gets to
// its run. The notice above the composer then names only the other as where her next message
// goes, and that is where it goes now: before, the page said so while the server still gave the
// message to the question past its time, and the question the agent was shown never got it.

const NOTICE = '[data-testid="awaiting-answer"]';
const TEXT = '[data-testid="awaiting-answer-text"]';
const live = liveInboxForFile();
const admin = () => live.server.api(live.server.adminToken);

describe('a question past its time limit, before its run wakes', () => {
  it('leaves the notice at its time, and the customer\'s next message goes to the question the notice names', async () => {
    const { server, inbox, page } = live;
    const { conversation, openingRunId: rated, shortcutRunId: ordered } = await shortcutAskingAfterOpeningWorkflow(server, { name: 'Rating', question: 'How would you rate us, 1 to 5?' });
    await page.goto(`${server.url}/inbox/c/${conversation}`);
    await page.waitForSelector('[data-testid="live-state"][data-state="live"]', { timeout: 15_000 });
    await page.waitForSelector(`${NOTICE}:not([hidden])`, { timeout: 15_000 });
    expect(await page.$eval(TEXT, (el) => el.textContent)).toMatch(/^Waiting for the customer’s answer to Shortcut “Ask the order” \(asked last: a typed reply goes here/);
    // Due in 2 s from now (a question waits at least a minute); its run's wake-up stays ten minutes
    // away. The page learns it from a refresh (a colleague's note), then goes by the time alone.
    const until = new Date(Date.now() + 2000).toISOString();
    await server.app.services.db.updateTable('question_waits').set({ expires_at: until }).where('run_id', '=', ordered).execute();
    expect((await admin().post(`/conversations/${conversation}/messages`, { text: 'Lena called too', kind: 'comment' })).status).toBe(201);
    await page.waitForFunction((sel: string) => /^Workflow “Rating” is waiting for the customer’s answer \(until .+\): their next message goes to it\.$/.test(document.querySelector(sel)?.textContent ?? ''),
      { timeout: 15_000 }, TEXT);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(until));

    // Lena answers now; the run of "Ask the order" has not woken yet.
    expect((await admin().get(`/runs/${ordered}`)).body).toMatchObject({ status: 'waiting' });
    expect((await admin().post(`/conversations/${conversation}/messages`, { text: '5', direction: 'incoming' })).status).toBe(201);
    const run = await waitForRun(server.app.services.db, rated);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.stepLog.filter((s) => s.stepId === 'ask').at(-1)?.output).toMatchObject({ outcome: 'answered', answer: '5' });
    // Nothing waits on her any more: the notice goes, and her message is in the thread.
    await page.waitForSelector(`${NOTICE}[hidden]`, { timeout: 15_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="message"] [data-testid="message-text"]')].some((el) => el.textContent === '5'), { timeout: 15_000 });
    expect((await admin().get(`/runs/${ordered}`)).body).toMatchObject({ status: 'waiting' });
    expect(inbox.pageErrors).toEqual([]);
  });
});
