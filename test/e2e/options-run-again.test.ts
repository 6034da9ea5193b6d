import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { startFailedSyncs, type FailedSyncs } from '../support/failed-syncs';
import { until } from './launcher-harness';
import { supervisorRunsPage } from './support/supervisor-runs-page';

// The review's case in Chromium with the built extension: agents' "Sync to CRM" runs failed on a
// CRM that refused them; once the CRM takes them, the supervisor runs one again from the run
// history (confirming), follows the link to the new run, then runs the rest again at once.

const SCREENSHOT = path.join(tmpdir(), 'options-run-again.png');
let world: FailedSyncs;
let options: Page;
let dialogs: string[];
let workflowId: string;
let launched: string[];
const admin = () => world.admin;

const runIds = () => options.$$eval('tr[data-run-id]', (rows) => rows.map((r) => r.getAttribute('data-run-id')));
const bodyText = () => options.$eval('body', (b) => b.innerText);
const failedRuns = async () => (await admin().get(`/runs?workflowId=${workflowId}&status=failed`)).body.runs as { id: string; rerunAs?: string }[];

supervisorRunsPage(() => startFailedSyncs(
  (crmUrl) => [{ id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crmUrl}/crm` } }],
  [[0, 'Ana'], [0, 'Bob'], [0, 'Cleo']],
  { whenFailed: ({ crm }) => { crm.up = true; } },
), (page) => {
  ({ world, options, dialogs } = page);
  ({ workflowId, launched } = world);
});

describe('Run again in the options page\'s run history', () => {
  it('runs one failed run again after a confirmation, links the new run, then runs the workflow\'s other failures again', async () => {
    await (await options.waitForSelector('nav a[href="#/runs"]'))!.click();
    await until(async () => (await runIds()).length === 3, 'the three runs');

    const [newest] = await runIds();
    await (await options.waitForSelector(`tr[data-run-id="${newest}"] ::-p-aria(Run again from the start)`, { timeout: 10_000 }))!.click();
    await until(async () => (await bodyText()).includes('Run again as run_'), 'the new run to be named');
    expect(dialogs[0]).toMatch(/^Run this failed run again\? It starts over from the first step/);
    const rerun = (await failedRuns()).find((r) => r.id === newest)!.rerunAs!;
    expect(rerun).toMatch(/^run_/);
    await (await options.waitForSelector(`tr[data-run-id="${newest}"] ::-p-aria(${rerun}[role="button"])`))!.click();
    await until(async () => (await bodyText()).includes(`Run again from failed run ${newest} by Sam Supervisor, from the first step.`), 'the new run\'s details');
    await until(async () => (await runIds())[0] === rerun, 'the new run at the top');
    await until(async () => (await admin().get(`/runs/${rerun}`)).body.status === 'completed', 'the rerun to complete');
    await options.screenshot({ path: SCREENSHOT, fullPage: true });

    // The rest together: the workflow is chosen in the filter, so its failures can run again.
    const select = await options.waitForSelector('::-p-aria(Workflow[role="combobox"])');
    await select!.select(workflowId);
    await (await options.waitForSelector('::-p-aria(Run all failed again)', { timeout: 10_000 }))!.click();
    await until(async () => (await bodyText()).includes('Started 2 runs again.'), 'the two others to start again');
    expect(dialogs[1]).toMatch(/^Run every failed run of “Sync to CRM” again/);
    const after = await failedRuns();
    expect(after.map((r) => r.id).sort()).toEqual([...launched].sort());
    expect(after.every((r) => r.rerunAs)).toBe(true);
    // Pressed again: nothing is left, and nothing runs twice.
    await (await options.waitForSelector('::-p-aria(Run all failed again)'))!.click();
    await until(async () => (await bodyText()).includes('No failed run was left to run again.'), 'the second press to find none');
    expect((await admin().get(`/runs?workflowId=${workflowId}&limit=50`)).body.runs).toHaveLength(6);
  });
});
