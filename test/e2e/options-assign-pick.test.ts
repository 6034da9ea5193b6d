import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { until } from './launcher-harness';
import type { ExtensionBrowser } from './support/browser';
import { closeOptions, openConnectedOptions, pressButton, selectLabelled } from './support/options-page';

// An admin builds respond.io's "assign to the next agent in turn" in the built extension's options
// page: an Assign to step whose assignment logic is round robin, among the people ticked, in the
// order ticked. Publishing with nobody ticked is refused on the step; once published, two orders
// coming in are assigned to the two people in turn, and the run's details say why.

const PHONE = '+14155550123';
let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['Ana', 'Bo', 'Cy']) ids[name] = (await server.createUser('agent', { name })).user.id;
  const admin = server.api(server.adminToken);
  const contact = await admin.post('/contacts', { firstName: 'Maria', phone: PHONE });
  expect((await admin.post('/conversations', { contactId: contact.body.id })).status).toBe(201);
  ({ ext, options } = await openConnectedOptions(server.url, server.adminToken, '::-p-aria(New workflow[role="button"])'));
}, 120_000);
afterAll(() => closeOptions(ext, server));

const click = (name: string) => pressButton(options, name);
const choose = async (label: string, value: string) => (await selectLabelled(options, label)).select(value);
const bodyText = () => options.evaluate(() => document.body.innerText);
const waitText = (text: string, ms = 10_000) => until(async () => (await bodyText()).includes(text), `"${text}" on the options page`, ms);
async function fill(label: string, value: string) {
  const el = (await options.waitForSelector(`::-p-aria(${label})`, { timeout: 10_000 }))! as ElementHandle<HTMLInputElement>;
  await el.click({ count: 3 });
  await el.type(value);
}
const tick = async (name: string) => (await options.waitForSelector(`::-p-aria(${name} (agent)[role="checkbox"])`, { timeout: 10_000 }))!.click();

it('builds a round robin among the people ticked, refuses it with nobody ticked, and assigns in turn once published', async () => {
  await click('New workflow');
  await fill('Workflow name', 'Orders in turn');
  await choose('Trigger type', 'incoming_webhook');
  await click('Add variable');
  await fill('JSON key 1', '$.order');
  await fill('Variable 1', 'order');
  await choose('New step', 'assign_to');
  await click('Add step');
  await choose('Assignment logic', 'round_robin');

  await click('Publish');
  await waitText('Step 1 ("assign_to_1") takes turns (round robin) among no one: choose the users to assign');
  const draft = (await server.api(server.adminToken).get('/workflows')).body.workflows.find((w: { name: string }) => w.name === 'Orders in turn');
  expect(draft?.status ?? 'draft').toBe('draft');

  // Cy first, then Ana: the order they take turns in.
  await tick('Cy');
  await tick('Ana');
  await waitText('Order: Cy → Ana.');
  await click('Publish');
  await options.waitForSelector('.badge-published', { timeout: 10_000 });
  const saved = (await server.api(server.adminToken).get('/workflows')).body.workflows.find((w: { name: string }) => w.name === 'Orders in turn');
  expect(saved).toMatchObject({ status: 'published', steps: [{ type: 'assign_to', config: { pick: 'round_robin', userIds: [ids.Cy, ids.Ana] } }] });

  const hookUrl = await (await options.waitForSelector('::-p-aria(Webhook URL)', { timeout: 10_000 }))!.evaluate((el) => el.textContent ?? '');
  const assignees: string[] = [];
  for (const order of ['A-1', 'A-2']) {
    const post = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: PHONE, order }) });
    expect(post.status).toBe(202);
    const [runId] = ((await post.json()) as { runIds: string[] }).runIds;
    const run = await until(async () => {
      const r = (await server.api(server.adminToken).get(`/runs/${runId}`)).body;
      return r.status === 'completed' && r;
    }, 'the run to complete', 15_000);
    assignees.push(run.stepLog[0].output.assigneeId);
  }
  expect(assignees).toEqual([ids.Cy, ids.Ana]);

  await options.evaluate(() => window.scrollTo(0, 0));
  await (await options.waitForSelector('a::-p-text(Run history)'))!.click();
  await options.waitForSelector('::-p-aria(Runs)', { timeout: 10_000 });
  await until(async () => (await options.$$('::-p-aria(Details[role="button"])')).length === 2, 'both runs in the history', 15_000);
  // Each run's details, one after the other (the newest first).
  const [newest] = await options.$$('::-p-aria(Details[role="button"])');
  await newest!.click();
  await waitText('Next in turn after Cy: Ana');
  const buttons = await options.$$('::-p-aria(Details[role="button"])');
  await buttons.at(-1)!.click();
  await waitText('First in turn: Cy');
});
