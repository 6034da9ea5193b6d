import { describe, expect, it } from 'vitest';
import { liveInboxForFile } from './support/live-inbox';
import { shortcutAskingAfterOpeningWorkflow } from './support/two-questions-waiting';

// Two workflows asking the same customer (README "Two workflows asking"): a typed reply goes to
// the question asked last, a tapped or quoted one to its own. The notice above the composer named
// only the one asked last, so the agent neither knew the other waited nor could take it over.
// Now it names each, says which one a typed reply goes to, and gives each its own Take over.

const NOTICE = '[data-testid="awaiting-answer"]';
const TEXT = '[data-testid="awaiting-answer-text"]';
const live = liveInboxForFile();
const admin = () => live.server.api(live.server.adminToken);
const text = (selector: string) => live.page.$eval(selector, (el) => el.textContent);
/** The Take over buttons as a screen reader names them (their accessible names), in order. */
const takeOvers = () => live.page.$$eval('[data-testid="take-over"]', (els) => els.map((el) => ({ name: el.textContent, runId: (el as HTMLElement).dataset.runId })));

describe('the notice above the composer with two questions waiting', () => {
  it('names both, the one asked last first, each with its own Take over; taking over one leaves the other', async () => {
    const { server, inbox, page } = live;
    const { conversation, openingRunId: rated, shortcutRunId: ordered } = await shortcutAskingAfterOpeningWorkflow(server, { name: 'Rating', question: 'How would you rate us, 1 to 5?' });

    await page.goto(`${server.url}/inbox/c/${conversation}`);
    await page.waitForSelector(`${NOTICE}:not([hidden])`, { timeout: 8000 });
    expect(await text(TEXT)).toMatch(
      /^Waiting for the customer’s answer to Shortcut “Ask the order” \(asked last: a typed reply goes here, until .+\) and Workflow “Rating” \(until .+\); a tapped or quoted reply goes to its own question\.$/);
    // Said as a status, as with one question.
    expect(await page.$eval(TEXT, (el) => el.getAttribute('role'))).toBe('status');
    expect(await takeOvers()).toEqual([
      { name: 'Take over Shortcut “Ask the order”', runId: ordered },
      { name: 'Take over Workflow “Rating”', runId: rated },
    ]);
    // Each button's accessible name (not only its text) names its run.
    const ratingButton = await page.waitForSelector('aria/Take over Workflow “Rating”[role="button"]');
    // A live refresh (a colleague's note) leaves the keyboard focus on the button the agent is on.
    await ratingButton!.focus();
    const note = await admin().post(`/conversations/${conversation}/messages`, { text: 'Customer called too', kind: 'comment' });
    expect(note.status).toBe(201);
    await page.waitForFunction(() => document.querySelector('[data-testid="message-list"]')?.textContent?.includes('Customer called too'), { timeout: 8000 });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Take over Workflow “Rating”');

    // The question asked first, which the notice did not show before.
    await ratingButton!.click();
    await page.waitForSelector('[data-testid="take-over-note"]:not([hidden])');
    expect((await admin().get(`/runs/${rated}`)).body).toMatchObject({ status: 'cancelled' });
    expect((await admin().get(`/runs/${ordered}`)).body).toMatchObject({ status: 'waiting' });
    // The one left reads as one question always has: one plain Take over.
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 1, {}, '[data-testid="take-over"]');
    expect(await text(TEXT)).toMatch(/^Shortcut “Ask the order” is waiting for the customer’s answer \(until .+\): their next message goes to it\.$/);
    expect(await takeOvers()).toEqual([{ name: 'Take over', runId: ordered }]);
    // And stays so after the live refresh the take-over brought.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await takeOvers()).toEqual([{ name: 'Take over', runId: ordered }]);
    expect(await page.$eval(NOTICE, (el) => (el as HTMLElement).hidden)).toBe(false);
    expect(inbox.pageErrors).toEqual([]);
  });
});
