import { describe, expect, it } from 'vitest';
import { liveInboxForFile } from './support/live-inbox';
import { shortcutAskingAfterOpeningWorkflow } from './support/two-questions-waiting';

// The built inbox's Close dialog names what closing stops. A run launched from a shortcut is named
// by the shortcut's label in the agents' menu, as the notice above the composer names it ("Shortcut
// “Ask the order”"), not by its workflow's name, which the agent never saw ("Order questions v2");
// a workflow something else started keeps its name. It named every one by its workflow.

const live = liveInboxForFile();

describe('the Close dialog on questions waiting for the customer', () => {
  it('names a shortcut\'s run by its label and a workflow something else started by its name', async () => {
    const { server, inbox, page } = live;
    const { conversation } = await shortcutAskingAfterOpeningWorkflow(server, { name: 'Welcome survey', question: 'How did you find us?' });

    await page.goto(`${server.url}/inbox/c/${conversation}`);
    await page.waitForSelector('[data-testid="awaiting-answer"]:not([hidden])', { timeout: 8000 });
    // The notice (both questions, the one asked last first) and the dialog say the same names.
    expect(await page.$eval('[data-testid="awaiting-answer-text"]', (el) => el.textContent)).toMatch(/^Waiting for the customer’s answer to Shortcut “Ask the order” \(asked last: .+\) and Workflow “Welcome survey” \(/);
    await page.click('[data-testid="close-button"]');
    await page.waitForSelector('[data-testid="close-dialog"][open]');
    expect(await page.$eval('[data-testid="close-warning"]', (el) => (el as HTMLElement).hidden ? null : el.textContent)).toBe(
      'Closing stops Shortcut “Ask the order” and Workflow “Welcome survey”, which are waiting for the customer’s answer: their next message opens a new conversation and no workflow gets it. Cancel to keep the conversation open.');
    await page.click('[data-testid="close-cancel"]');
    expect(inbox.pageErrors).toEqual([]);
  });
});
