import { sql } from 'kysely';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { makeContact, publishWebhookWorkflow, waitForRun } from '../integration/webhooks/support';
import type { ExtensionBrowser } from './support/browser';
import { openConnectedOptions } from './support/options-page';

// A run failed under an older release, whose error and step log quote the channel's Meta token
// (Graph's 190 refusal quotes it whole) and the workflow's webhook URL token (a proxy's error page
// quoting the URL): the admin opens its details in the options page, in Chromium with the built
// extension, and reads the error with both masked (server/secrets/stored-texts.ts).

const META_TOKEN = 'EAAGm0PX4ZCpsBAstoredToken1234';
let server: TestServer;
let ext: ExtensionBrowser;
let options: Page;
let runId: string;
let urlToken: string;

beforeAll(async () => {
  server = await startTestServer();
  await makeContact(server, { firstName: 'Ada', phone: '+14155550123' });
  const hook = await publishWebhookWorkflow(server);
  urlToken = hook.path.split('/').pop()!;
  const fired = await server.request('POST', hook.path, { body: { phone: '+14155550123', order: { id: '7' } } });
  expect(fired.status, JSON.stringify(fired.body)).toBeLessThan(300);
  runId = (await server.store.db.selectFrom('runs').select('id').executeTakeFirstOrThrow()).id;
  const run = await waitForRun(server, runId);
  // Written as the older release wrote it.
  const error = `Malformed access token ${META_TOKEN} (upstream quoted ${urlToken})`;
  const stepLog = [{ stepId: 'note', type: 'add_comment', status: 'failed', error, notes: [`Retried with ${urlToken}`], startedAt: run.createdAt, endedAt: run.createdAt }];
  await sql`update runs set status = 'failed', error = ${error}, step_log = ${JSON.stringify(stepLog)} where id = ${runId}`.execute(server.store.db);
  ({ ext, options } = await openConnectedOptions(server.url, server.adminToken, 'nav a[href="#/runs"]'));
}, 60_000);

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('run details of a run stored before errors were masked', () => {
  it('show the error and the step\'s notes without the tokens they quote', async () => {
    await (await options.waitForSelector('nav a[href="#/runs"]'))!.click();
    const row = `tr[data-run-id="${runId}"]`;
    await (await options.waitForSelector(`${row} ::-p-aria(Details[role="button"])`, { timeout: 10_000 }))!.click();
    const details = await options.waitForSelector(`[role="region"][aria-label="Run ${runId}"]`, { timeout: 10_000 });
    const text = await details!.evaluate((d) => (d as HTMLElement).innerText);
    expect(text).toContain('Malformed access token [redacted] (upstream quoted [redacted])');
    const page = await options.$eval('body', (b) => b.innerHTML);
    expect(page).not.toContain(META_TOKEN);
    expect(page).not.toContain(urlToken);
  });
});
