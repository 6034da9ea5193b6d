import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Workflow } from '../../lib/contracts/workflow';
import { createVault } from '../../server/secrets/vault';
import { startTestServer, type TestServer } from '../support/server';
import { fillConnectForm, launchWithExtension, type ExtensionBrowser } from './support/browser';
import { until } from './launcher-harness';

// The options page of the built extension against the real server, as an admin uses it:
// exporting a workflow whose HTTP step carries credentials says which ones the file left out
// (they must be typed again after the import), and a workflow whose webhook URL and signing
// secret were sealed under another secret key says so in the list and the editor, where the
// admin gets a new URL and a new secret. Both used to pass without a word.

let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
let dir: string;
let foreign: Workflow;
const shots = process.env.OPTIONS_SCREENSHOTS;
const shoot = async (name: string) => {
  if (!shots) return;
  await mkdir(shots, { recursive: true });
  await options.screenshot({ path: path.join(shots, name), fullPage: true });
};

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'f-ui-export-'));
  const admin = server.api(server.adminToken);
  expect((await admin.post('/workflows', {
    name: 'Notify Slack', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'slack', type: 'http_request', config: {
      method: 'POST', url: 'https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnop',
      headers: [{ key: 'Authorization', value: 'Bearer sk_live_abcdef123456' }], body: '{"text":"A conversation opened"}',
    } }],
  })).status).toBe(201);
  const trigger = { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [], signingSecret: `whsec_${randomBytes(24).toString('base64')}` };
  foreign = Workflow.parse((await admin.post('/workflows', { name: 'Order paid', trigger, steps: [], status: 'published' })).body);
  // Sealed by an instance with a key of its own (test/integration/hardening/unreadable-secrets-suite.ts).
  const other = createVault({ secretKey: randomBytes(32).toString('base64'), dataDir: '/nonexistent' });
  await server.store.db.updateTable('workflows')
    .set({ webhook_token: other.seal('some-token'), webhook_signing_secret: other.seal(trigger.signingSecret) })
    .where('id', '=', foreign.id).execute();

  ext = await launchWithExtension();
  options = await ext.openOptions();
  await options.setViewport({ width: 1280, height: 900 });
  const cdp = await options.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
  options.on('dialog', (d) => void d.accept());
  await fillConnectForm(options, server.url, server.adminToken);
  await options.waitForSelector('::-p-aria(Workflows)', { timeout: 15_000 });
}, 60_000);
afterAll(async () => {
  await ext?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const bodyText = () => options.evaluate(() => document.body.innerText);

it('an export names the credentials its file left out, to type again after the import', async () => {
  await (await options.waitForSelector('::-p-aria(Workflows)'))!.click();
  const row = await options.waitForSelector('xpath///tr[.//a[normalize-space()="Notify Slack"]]', { timeout: 10_000 });
  await (await row!.waitForSelector('::-p-aria(Export Notify Slack[role="button"])'))!.click();
  const notice = await options.waitForSelector('::-p-aria(The exported file leaves credentials out: type them again after importing it)', { timeout: 10_000 });
  expect(await notice!.evaluate((e) => [...e.querySelectorAll('li')].map((li) => li.textContent)))
    .toEqual(['“Notify Slack”, step 1, HTTP request (slack): Slack webhook path (URL), Authorization (header)']);
  await shoot('workflow-export-credentials.png');
  // The file it speaks of: placeholders where the credentials were.
  const saved = await until(async () => (await readdir(dir)).find((f) => f.endsWith('.workflow.json')), 'the downloaded file', 10_000);
  const file = await readFile(path.join(dir, saved), 'utf8');
  expect(file).not.toContain('sk_live_abcdef123456');
  expect(file).not.toContain('abcdefghijklmnop');
  expect(JSON.parse(file).credentialsLeftOut).toHaveLength(2);
}, 60_000);

it('a workflow whose secrets this server cannot read says so in the list and the editor, which makes new ones', async () => {
  const said = 'This workflow\'s webhook URL and signing secret could not be read with this server\'s secret key: regenerate the URL and set the secret again.';
  await until(async () => (await bodyText()).includes(said), 'the list to flag “Order paid”', 10_000);
  await (await options.waitForSelector('::-p-aria(Fix “Order paid” in the editor)'))!.click();
  await options.waitForSelector(`::-p-aria(${said})`, { timeout: 10_000 });
  await shoot('workflow-unreadable-secrets.png');
  expect(await bodyText()).not.toMatch(/undefined/);

  await (await options.waitForSelector('::-p-aria(Regenerate URL[role="button"])'))!.click();
  const shown = await until(async () => {
    const code = await options.$('code.url');
    return code && code.evaluate((e) => e.textContent);
  }, 'the new URL', 10_000);
  expect(shown).toMatch(new RegExp(`^${server.url}/hooks/`));
  await (await options.waitForSelector('::-p-aria(Set a new signing secret[role="button"])'))!.click();
  const secret = await (await options.waitForSelector('::-p-aria(Signing secret)'))!.evaluate((e) => (e as HTMLInputElement).value);
  await (await options.waitForSelector('::-p-aria(Save[role="button"])'))!.click();
  await until(async () => !/could not be read|Save the workflow to keep/.test(await bodyText()), 'the notice to go', 10_000);

  const after = Workflow.parse((await server.api(server.adminToken).get(`/workflows/${foreign.id}`)).body);
  expect(after.unreadableSecrets).toBeUndefined();
  expect(after.trigger).toMatchObject({ url: shown, signingSecret: secret });
}, 60_000);
