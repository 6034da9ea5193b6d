import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer as startHttpServer, type TestServer as HttpServer } from '../../server/outbound/test-server';
import { startTestServer, type TestServer } from '../support/server';
import { until } from './launcher-harness';
import type { ExtensionBrowser } from './support/browser';
import { openConnectedOptions } from './support/options-page';

// The review's case in Chromium with the built extension: agents' "Sync to CRM" runs failed on a
// CRM that refused them; once the CRM takes them, the supervisor runs one again from the run
// history (confirming), follows the link to the new run, then runs the rest again at once.

const SCREENSHOT = path.join(tmpdir(), 'options-run-again.png');
let server: TestServer;
let crm: HttpServer;
let crmUp = false;
let ext: ExtensionBrowser;
let options: Page;
let workflowId: string;
let launched: string[];
const admin = () => server.api(server.adminToken);

const runIds = () => options.$$eval('tr[data-run-id]', (rows) => rows.map((r) => r.getAttribute('data-run-id')));
const bodyText = () => options.$eval('body', (b) => b.innerText);
const failedRuns = async () => (await admin().get(`/runs?workflowId=${workflowId}&status=failed`)).body.runs as { id: string; rerunAs?: string }[];

beforeAll(async () => {
  crm = await startHttpServer((_req, res) => { res.statusCode = crmUp ? 200 : 403; res.end(crmUp ? '{"ok":true}' : '{"error":"not allowed"}'); });
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  const ava = await server.createUser('agent', { name: 'Ava Agent' });
  const sam = await server.createUser('supervisor', { name: 'Sam Supervisor' });
  const wf = await admin().post('/workflows', {
    name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync to CRM' }, status: 'published',
    steps: [{ id: 'crm', type: 'http_request', config: { method: 'POST', url: `${crm.url}/crm` } }],
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);
  workflowId = wf.body.id;
  launched = [];
  for (const name of ['Ana', 'Bob', 'Cleo']) {
    const contact = (await admin().post('/contacts', { firstName: name })).body;
    const conversation = (await admin().post('/conversations', { contactId: contact.id })).body;
    const res = await server.api(ava.token).post(`/shortcuts/${workflowId}/launch`, { conversationId: conversation.id, values: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    launched.push(res.body.runId);
  }
  await until(async () => (await failedRuns()).length === 3, 'the three runs to fail', 15_000);
  crmUp = true;

  ({ ext, options } = await openConnectedOptions(server.url, sam.token, 'nav a[href="#/runs"]'));
}, 60_000);

afterAll(async () => {
  await ext?.close();
  await server?.close();
  await crm?.close();
});

describe('Run again in the options page\'s run history', () => {
  it('runs one failed run again after a confirmation, links the new run, then runs the workflow\'s other failures again', async () => {
    const dialogs: string[] = [];
    options.on('dialog', (d) => { dialogs.push(d.message()); void d.accept(); });
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
