import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { startFailedSyncs, syncToCrm, type FailedSyncs } from '../support/failed-syncs';
import { until } from './launcher-harness';
import { supervisorRunsPage } from './support/supervisor-runs-page';

// n8n's "Retry with original workflow" and "Retry of #N" / "Retried in #M" in Chromium with the
// built extension: an agent's "Sync to CRM" run notes the sync, then fails on a CRM that refused
// it; the admin rewords the note since, so the saved workflow cannot go on from the failed step.
// The supervisor runs it again from there with the original workflow, then follows the links
// between the two runs' details, which say what the rerun ran with.

let world: FailedSyncs;
let options: Page;
let dialogs: string[];
let failedId: string;
const admin = () => world.admin;
const steps = (note: string, crmUrl: string) => [
  { id: 'note', type: 'add_comment', config: { text: note } },
  { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crmUrl}/crm` } },
];
const bodyText = () => options.$eval('body', (b) => b.innerText);
const detailsOf = (id: string) => options.$eval(`[role="region"][aria-label="Run ${id}"]`, (d) => (d as HTMLElement).innerText).catch(() => '');

supervisorRunsPage(() => startFailedSyncs((crmUrl) => steps('Sending to the CRM', crmUrl), [[0, 'Ana']], {
  async whenFailed({ admin, workflowId, crm }) {
    // Step 1, before the failed step, reworded since: "as saved now" cannot go on from step 2.
    const saved = await admin.put(`/workflows/${workflowId}`, syncToCrm(steps('Syncing with the CRM', crm.url)));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    crm.up = true;
  },
}), (page) => {
  ({ world, options, dialogs } = page);
  failedId = world.launched[0]!;
});

describe('Run again with the original workflow, and the links between a rerun and its failed run', () => {
  it('runs the failed run again from its failed step with the version it ran, then each run\'s details link the other and say what the rerun ran with', async () => {
    await (await options.waitForSelector('nav a[href="#/runs"]'))!.click();
    const row = `tr[data-run-id="${failedId}"]`;
    await options.waitForSelector(row, { timeout: 10_000 });
    await until(async () => (await bodyText()).includes('Not from the failed step with the workflow as saved now: workflow “Sync to CRM” was changed before its failed step'), 'the saved workflow\'s refusal');

    await (await options.waitForSelector(`${row} ::-p-aria(Run again from the failed step with the original workflow \\(version 1\\))`, { timeout: 10_000 }))!.click();
    await until(async () => (await bodyText()).includes('Run again as run_'), 'the new run to be named');
    expect(dialogs[0]).toMatch(/^Run this failed run again from step 2 \(“crm”\) with the original workflow \(version 1\), as that run ran it\?/);
    const rerunId = (await admin().get(`/runs/${failedId}`)).body.rerunAs as string;
    await until(async () => (await admin().get(`/runs/${rerunId}`)).body.status === 'completed', 'the rerun to complete');
    const rerun = (await admin().get(`/runs/${rerunId}`)).body;
    expect(rerun).toMatchObject({ workflowVersion: 1, rerunFromStep: 2 });
    expect(rerun.stepLog.map((s: { stepId: string; status: string }) => [s.stepId, s.status])).toEqual([['crm', 'completed']]);

    // The new run's details: which run it retries (a link), who ran it again, from where, and with what.
    await (await options.waitForSelector(`${row} ::-p-aria(${rerunId}[role="button"])`))!.click();
    await until(async () => (await detailsOf(rerunId)).includes('It ran the original workflow'), 'the rerun\'s details');
    expect(await detailsOf(rerunId)).toContain(`Run again from failed run ${failedId} by Sam Supervisor, from step 2, where that run failed: the steps before it ran in that run, not again. It ran the original workflow: version 1, the one that run ran.`);
    expect(await options.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Run ${rerunId}`);

    // Its link back opens the failed run's details, which link the rerun.
    await (await options.waitForSelector(`[aria-label="Run ${rerunId}"] ::-p-aria(${failedId}[role="button"])`))!.click();
    await until(async () => (await detailsOf(failedId)).includes('Run again as'), 'the failed run\'s details');
    expect(await detailsOf(failedId)).toContain(`Run again as ${rerunId}: open it to see how that went.`);
    expect(await options.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Run ${failedId}`);
  });
});
