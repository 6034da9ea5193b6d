import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { openSignedInInbox, type InboxBrowser } from './inbox-browser';

export interface LiveInbox { server: TestServer; inbox: InboxBrowser; page: Page }

/**
 * For the calling test file: a fresh server and its admin signed in to the built inbox, live (the
 * page follows the server's events), closed after the file. The returned object fills in
 * beforeAll: read its fields inside the tests.
 */
export function liveInboxForFile(): LiveInbox {
  const live = {} as LiveInbox;
  beforeAll(async () => {
    live.server = await startTestServer();
    live.inbox = await openSignedInInbox(live.server.url, live.server.adminToken, { live: true });
    live.page = live.inbox.page;
  }, 60_000);
  afterAll(async () => {
    await live.inbox?.close();
    await live.server?.close();
  });
  return live;
}
