import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import {
  FORM_SUBMIT, fieldErrorText, fillField, openShortcutForm, retypeField, type ExtensionBrowser,
} from './launcher-harness';
import { launcherOnOneFieldShortcut } from './launcher-one-field';

// A shortcut form's number field in real Chromium (en-US), typed with a decimal comma: "19,99"
// launches with 19.99, where the <input type=number> it was made 1999 of it without a word; an
// ambiguous "1,250" shows the hint at the field and launches nothing until written one way.

let server: TestServer;
let ext: ExtensionBrowser;
let page: Page;
let workflowId = '';

const admin = () => server.api(server.adminToken);
const amountValue = () => page.$eval('::-p-aria(Refund amount)', (el) => (el as HTMLInputElement).value);
const fieldError = () => fieldErrorText(page);
const comments = () => page.$$eval('[data-testid="message-text"]', (els) => els.map((m) => m.textContent));

beforeAll(async () => {
  server = await startTestServer();
  ({ ext, page, workflowId } = await launcherOnOneFieldShortcut(server, { firstName: 'Maria', lastName: 'Garcia', phone: '+34600111222' }, {
    name: 'Log a return', icon: '↩️', description: 'Record a refund',
    field: { label: 'Refund amount', type: 'number', variable: 'amount' }, comment: 'refund {{$trigger.amount}}',
  }));
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

const openForm = () => openShortcutForm(page, 'log a return', 'Refund amount');

describe('the launcher form\'s number field', () => {
  it('shows the hint for an ambiguous 1,250 at the field and launches nothing', async () => {
    await openForm();
    const input = await page.waitForSelector('::-p-aria(Refund amount)');
    expect(await input!.evaluate((el) => [(el as HTMLInputElement).type, el.getAttribute('inputmode')])).toEqual(['text', 'decimal']);
    await fillField(page, 'Refund amount', '1,250');
    await (await page.waitForSelector(FORM_SUBMIT))!.click();
    await page.waitForSelector('pierce/[aria-invalid="true"]');
    expect(await fieldError()).toBe('"1,250" could be 1250 or 1.25: please write the number without a separator (1250) or with its decimals (1,250.00).');
    expect((await admin().get(`/workflows/${workflowId}/runs`)).body.runs).toHaveLength(0);
  });

  it('launches "19,99" as 19.99: the field keeps what was typed, the run and the comment hold 19.99', async () => {
    await retypeField(page, 'Refund amount', '19,99');
    expect(await amountValue()).toBe('19,99');
    expect(await page.$('pierce/[aria-invalid="true"]')).toBeNull();
    await (await page.waitForSelector(FORM_SUBMIT))!.click();
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="message-text"]')].some((m) => m.textContent?.startsWith('refund ')),
      { timeout: 15_000 },
    );
    expect((await comments()).filter((t) => t?.startsWith('refund '))).toEqual(['refund 19.99']);
    const runs = (await admin().get(`/workflows/${workflowId}/runs`)).body.runs as { id: string }[];
    expect(runs).toHaveLength(1);
    const run = (await admin().get(`/runs/${runs[0]!.id}`)).body;
    expect(run.variables.trigger.amount).toBe(19.99);
  });
});
