import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { until } from './launcher-harness';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';

// The workflow editor in Chromium with a 50-step workflow, every fifth step a branch, one of them
// jumping to a step that does not exist: it loads, reorders by keyboard, collapses, and shows the
// publish check's problem on that step.

let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
let workflowId = '';
const admin = () => server.api(server.adminToken);

function longWorkflow() {
  const steps = [];
  for (let i = 1; i <= 50; i++) {
    steps.push(i % 5 === 0
      ? { id: `b${i}`, type: 'branch', config: { branches: [
        { name: 'VIP', conditions: { logic: 'and', rules: [{ left: '{{$contact.tags}}', operator: 'has_tag', right: 'vip' }] }, goTo: i === 25 ? 'gone' : `s${i === 50 ? 1 : i + 1}` },
        { name: 'New', conditions: { logic: 'or', rules: [{ left: '{{$contact.tags}}', operator: 'has_tag', right: 'new' }] }, goTo: `s${i - 1}` },
      ] } }
      : { id: `s${i}`, type: 'add_comment', config: { text: `Step ${i}` } });
  }
  return { name: 'Long one', trigger: { type: 'manual' }, steps };
}
const order = () => options.$$eval('li.step', (els) => els.map((e) => e.getAttribute('data-step-id')));

beforeAll(async () => {
  server = await startTestServer();
  const created = await admin().post('/workflows', longWorkflow());
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  workflowId = created.body.id;
  ext = await launchWithExtension();
  options = await ext.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  await fillConnectForm(options, server.url, server.adminToken);
  await options.waitForSelector('::-p-aria(New workflow[role="button"])', { timeout: 15_000 });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('workflow editor with 50 steps and many branches', () => {
  it('loads every step and stays responsive while typing', async () => {
    await options.goto(`chrome-extension://${ext.extensionId}/options.html#/workflows/${workflowId}`);
    await until(async () => (await order()).length === 50, 'the 50 steps', 15_000);
    const field = (await options.$('li.step[data-step-id="s1"] textarea, li.step[data-step-id="s1"] input[type="text"]'))!;
    await field.click();
    const started = Date.now();
    await options.keyboard.type(' edited', { delay: 0 });
    await until(async () => (await field.evaluate((el) => (el as HTMLInputElement).value)).endsWith(' edited'), 'the typed text');
    // A figure for the report, not a pass mark (speed targets live in bench/).
    console.info(`typing 7 characters into step 1 of 50: ${Date.now() - started} ms`);
  });

  it('moves a step by keyboard on its handle and saves the new order', async () => {
    await (await options.waitForSelector('::-p-aria(Reorder step 3)'))!.focus();
    await options.keyboard.press('ArrowUp');
    await options.keyboard.press('ArrowUp');
    expect((await order()).slice(0, 3)).toEqual(['s3', 's1', 's2']);
    expect(await options.evaluate(() => document.activeElement?.getAttribute('data-step-handle'))).toBe('s3');
    await options.keyboard.press('End');
    expect((await order()).at(-1)).toBe('s3');
    await (await options.waitForSelector('::-p-aria(Save[role="button"])'))!.click();
    await until(async () => {
      const saved = await admin().get(`/workflows/${workflowId}`);
      return saved.body.steps.at(-1).id === 's3' && saved.body.steps[0].id === 's1' && saved.body.steps[0].config.text.endsWith(' edited');
    }, 'the saved order', 10_000);
  });

  it('collapses every step and shows the publish check\'s problem on its step (b25) only', async () => {
    await (await options.waitForSelector('::-p-aria(Collapse all[role="button"])'))!.click();
    await until(async () => (await options.$$('li.step.collapsed')).length === 50, 'all steps collapsed');
    expect(await options.$$('li.step textarea')).toHaveLength(0);
    await (await options.waitForSelector('::-p-aria(Publish[role="button"])'))!.click();
    const step = 'li.step[data-step-id="b25"]';
    await options.waitForSelector(`${step} [data-testid="step-problem-count"]`, { timeout: 10_000 });
    expect(await options.$eval(`${step} .step-problems`, (el) => el.textContent)).toMatch(/goes to.*gone/s);
    expect(await options.$$('[data-testid="step-problem-count"]')).toHaveLength(1);
    expect((await admin().get(`/workflows/${workflowId}`)).body.status).not.toBe('published');
    // Expanding it shows the field to fix.
    await (await options.waitForSelector(`${step} button[aria-expanded="false"]`))!.click();
    await options.waitForSelector(`${step} [aria-invalid="true"]`, { timeout: 5000 });
  });
});
