import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { startChatwootStandin, type ChatwootStandin } from '../../support/chatwoot-standin';
import { startTestServer, type TestServer } from '../../support/server';
import { connectLater } from './contact-step-connect-later';

const ENV = { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0' };

describe('a Chatwoot account connected after contact writes ran (SQLite)', () => {
  let cw: ChatwootStandin | undefined;
  let server: TestServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await server?.close();
    await cw?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    server = cw = dir = undefined;
  });

  it('runs on the main thread: each connect and disconnect counts from the next step', async () => {
    cw = await startChatwootStandin();
    server = await startTestServer({ env: ENV });
    await connectLater({ url: server.url, token: server.adminToken }, cw);
  });

  it('runs on the executor thread (COMPANION_EXECUTOR_THREAD=1): a connect or disconnect made on the main thread reaches it at once', async () => {
    cw = await startChatwootStandin();
    dir = await mkdtemp(path.join(tmpdir(), 'f-code-connect-later-'));
    server = await startTestServer({ sqliteFile: path.join(dir, 'companion.sqlite'), env: { ...ENV, COMPANION_EXECUTOR_THREAD: '1' } });
    await connectLater({ url: server.url, token: server.adminToken }, cw);
  });
});
