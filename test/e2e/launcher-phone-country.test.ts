import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import {
  FORM_SUBMIT, fieldErrorText, fillField, launcherState, openLauncher, openShortcutForm, retypeField, until, type ExtensionBrowser,
} from './launcher-harness';
import { launcherOnOneFieldShortcut } from './launcher-one-field';

// The built extension in real Chromium, on a workspace whose default country is Brazil: a shortcut
// form's phone field takes "(11) 91234-5678" as a Brazilian agent says it, and the run gets
// +5511912345678, as webhooks, the CSV import and question answers read it. On a 320 px wide
// inbox the launcher's panel stays inside the window.

let server: TestServer;
let ext: ExtensionBrowser;
let page: Page;
let workflowId = '';
let conversationId = '';

const admin = () => server.api(server.adminToken);
const fieldError = () => fieldErrorText(page);

beforeAll(async () => {
  server = await startTestServer();
  expect((await admin().put('/settings/default-country', { country: 'BR' })).status).toBe(200);
  ({ ext, page, workflowId, conversationId } = await launcherOnOneFieldShortcut(server, { firstName: 'João', lastName: 'Silva' }, {
    name: 'Schedule callback', icon: '📞', description: 'Call the customer back',
    field: { label: 'Phone', type: 'phone', variable: 'phone' }, comment: 'call {{$trigger.phone}}',
  }));
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

const openForm = () => openShortcutForm(page, 'schedule', 'Phone');

describe('the launcher form\'s phone field with the workspace in Brazil', () => {
  it('says what is wrong with a number that is not Brazilian either, and launches nothing', async () => {
    await openForm();
    await fillField(page, 'Phone', '(11) 1234');
    await (await page.waitForSelector(FORM_SUBMIT))!.click();
    await page.waitForSelector('pierce/[aria-invalid="true"]');
    expect(await fieldError()).toContain('it is not a valid BR number either');
    expect((await admin().get(`/workflows/${workflowId}/runs`)).body.runs).toHaveLength(0);
  });

  it('launches "(11) 91234-5678" and the run gets +5511912345678', async () => {
    const input = await retypeField(page, 'Phone', '(11) 91234-5678');
    expect(await input.evaluate((el) => el.getAttribute('dir'))).toBe('auto');
    await (await page.waitForSelector(FORM_SUBMIT))!.click();
    const runs = await until(async () => {
      const body = (await admin().get(`/workflows/${workflowId}/runs`)).body;
      return body.runs.length > 0 && body.runs;
    }, 'the run');
    const run = (await admin().get(`/runs/${runs[0].id}`)).body;
    expect(run.variables.trigger).toMatchObject({ phone: '+5511912345678' });
  });
});

describe('the launcher on a 320 px wide inbox', () => {
  it('keeps its panel inside the window', async () => {
    await page.setViewport({ width: 320, height: 640 });
    try {
      await page.goto(`${server.url}/inbox/c/${conversationId}`);
      await page.waitForSelector(`[data-conversation-id="${conversationId}"]`);
      await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 10_000);
      await openLauncher(page);
      const box = await until(async () => {
        const panel = await page.$('pierce/.ic-panel');
        return panel && panel.evaluate((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && { left: r.left, right: r.right }; });
      }, 'the panel');
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(320);
      // The run toast of the launch above (left at the launcher's side) fits too.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    } finally {
      await page.setViewport({ width: 1360, height: 820 });
    }
  });
});
