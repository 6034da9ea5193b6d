import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { startTestServer, type TestServer } from '../support/server';
import { until } from './launcher-harness';
import type { ExtensionBrowser } from './support/browser';
import { openConnectedOptions } from './support/options-page';

// The review's case in Chromium with the built extension: agents launched "Sync to CRM", whose
// outside call is refused; the supervisor connects the options page and finds, in the Runs
// section, every run with who launched it, how many failed in the last day, those failures at
// a press, and one agent's runs; nothing there changes a workflow or wakes a run.

const SCREENSHOT = path.join(tmpdir(), 'options-supervisor-runs.png');
let server: TestServer;
let crm: HttpServer;
let ext: ExtensionBrowser;
let options: Page;
const admin = () => server.api(server.adminToken);

const runIds = () => options.$$eval('tr[data-run-id]', (rows) => rows.map((r) => r.getAttribute('data-run-id')));
const cellsOf = (id: string) => options.$eval(`tr[data-run-id="${id}"]`, (row) => [...row.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''));
const bodyText = () => options.$eval('body', (b) => b.innerText);
const click = async (selector: string) => (await options.waitForSelector(selector, { timeout: 10_000 }))!.click();

beforeAll(async () => {
  crm = await startHttpServer((_req, res) => { res.statusCode = 403; res.end('{"error":"not allowed"}'); });
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  const agents = [await server.createUser('agent', { name: 'Ava Agent' }), await server.createUser('agent', { name: 'Ben Agent' })];
  const sam = await server.createUser('supervisor', { name: 'Sam Supervisor' });
  const wf = await admin().post('/workflows', {
    name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync to CRM' }, status: 'published',
    steps: [{ id: 'note', type: 'add_comment', config: { text: 'syncing' } }, { id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm` } }],
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  const launched: string[] = [];
  for (const [who, name] of [[0, 'Ana'], [1, 'Bob'], [0, 'Cleo']] as const) {
    const contact = (await admin().post('/contacts', { firstName: name })).body;
    const conversation = (await admin().post('/conversations', { contactId: contact.id })).body;
    const res = await server.api(agents[who]!.token).post(`/shortcuts/${wf.body.id}/launch`, { conversationId: conversation.id, values: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    launched.push(res.body.runId);
  }
  await until(async () => {
    const page = await admin().get(`/runs?workflowId=${wf.body.id}&status=failed`);
    return page.body.runs?.length === launched.length;
  }, 'the three runs to fail', 15_000);

  ({ ext, options } = await openConnectedOptions(server.url, sam.token, 'nav a[href="#/runs"]'));
}, 60_000);

afterAll(async () => {
  await ext?.close();
  await server?.close();
  await crm?.close();
});

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
