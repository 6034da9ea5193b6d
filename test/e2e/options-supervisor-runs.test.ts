import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { startFailedSyncs } from '../support/failed-syncs';
import { until } from './launcher-harness';
import { supervisorRunsPage } from './support/supervisor-runs-page';

// The review's case in Chromium with the built extension: agents launched "Sync to CRM", whose
// outside call is refused; the supervisor connects the options page and finds, in the Runs
// section, every run with who launched it, how many failed in the last day, those failures at
// a press, and one agent's runs; nothing there changes a workflow or wakes a run.

const SCREENSHOT = path.join(tmpdir(), 'options-supervisor-runs.png');
let options: Page;

const runIds = () => options.$$eval('tr[data-run-id]', (rows) => rows.map((r) => r.getAttribute('data-run-id')));
const cellsOf = (id: string) => options.$eval(`tr[data-run-id="${id}"]`, (row) => [...row.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''));
const bodyText = () => options.$eval('body', (b) => b.innerText);
const click = async (selector: string) => (await options.waitForSelector(selector, { timeout: 10_000 }))!.click();

supervisorRunsPage(() => startFailedSyncs(
  (crmUrl) => [{ id: 'note', type: 'add_comment', config: { text: 'syncing' } }, { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crmUrl}/crm` } }],
  [[0, 'Ana'], [1, 'Bob'], [0, 'Cleo']],
  { agents: ['Ava Agent', 'Ben Agent'] },
), (page) => { ({ options } = page); });

describe('a supervisor\'s run history in the options page', () => {
  it('lists every run with who launched it, counts the failures and shows them, read-only', async () => {
    await click('nav a[href="#/runs"]');
    await until(async () => (await runIds()).length === 3, 'the three runs');
    const launchers = await Promise.all((await runIds()).map(async (id) => (await cellsOf(id!))[5]));
    expect(launchers).toEqual(['Ava Agent', 'Ben Agent', 'Ava Agent']);
    const notice = await options.waitForSelector('::-p-aria([name="Failed runs"][role="status"])', { timeout: 10_000 });
    expect(await notice!.evaluate((el) => el.textContent)).toBe('3 runs failed in the last 24 hours and were not run again. Show failed runs');
    // Nothing that changes a workflow or the engine: no queue, no Try now, no link to the editor.
    const text = await bodyText();
    expect(text).not.toMatch(/ready ·|Try now|Try them now/);
    expect(await options.$('a[href^="#/workflows/"]')).toBeNull();
    await options.screenshot({ path: SCREENSHOT, fullPage: true });

    await (await options.waitForSelector('::-p-aria(Show failed runs)'))!.click();
    const status = await options.waitForSelector('::-p-aria(Status[role="combobox"])');
    await until(async () => (await status!.evaluate((el) => (el as HTMLSelectElement).value)) === 'failed', 'the status filter to say failed');
    expect(await runIds()).toHaveLength(3);

    await (await options.waitForSelector('tr[data-run-id] ::-p-aria(Ben Agent[role="button"])'))!.click();
    await until(async () => (await runIds()).length === 1, 'only Ben\'s run');
    const [ben] = await runIds();
    await (await options.waitForSelector(`tr[data-run-id="${ben}"] ::-p-aria(Details)`))!.click();
    await until(async () => (await bodyText()).includes('Launched by Ben Agent from the shortcut.'), 'the details to name Ben');
    expect(await bodyText()).toMatch(/Run error: .*403/);
  });
});
