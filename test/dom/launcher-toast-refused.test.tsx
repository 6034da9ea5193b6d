import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render, waitFor } from '@testing-library/react';
import { RunToast } from '../../components/toast/RunToast';
import type { RunStatusSource } from '../../components/toast/run-status';
import { createApiClient } from '../../lib/extension/api-client';
import { freePort, killHard, spawnServer, type ServerProcess } from '../support/process';
import { callOk } from '../support/process-api';

// The launcher's toast following a run against the real server (a child process on a loopback
// port, SQLite), read with the extension's own API client as the background reads it. A request
// the server's address policy refused failed with the operator's advice ("…add "127.0.0.1" to
// COMPANION_ALLOW_PRIVATE_URLS…"), which the toast showed the agent who launched it while the
// thread's line said "the request was refused". The agent now reads the thread's words; an admin
// (who can change the setting) still reads the advice.

const ADMIN = `ict_${'R'.repeat(43)}`;
let server: ServerProcess;
let dataDir: string;
let agentToken = '';
let workflowId = '';
let conversationId = '';

const call = (method: string, p: string, token: string, body?: unknown) => callOk(server, token, method, p, body);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'f-small-toast-'));
  // No private addresses allowed: the step's request to 127.0.0.1 is refused before it is sent.
  server = await spawnServer({ DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, COMPANION_ALLOW_PRIVATE_URLS: '' }, await freePort());
  workflowId = (await call('POST', '/workflows', ADMIN, {
    name: 'Sync to CRM', trigger: { type: 'shortcut', name: 'Sync' }, status: 'published',
    steps: [{ id: 'crm', type: 'http_request', config: { method: 'POST', url: 'http://127.0.0.1:9/crm', body: '{}' } }],
  })).id;
  const contact = await call('POST', '/contacts', ADMIN, { firstName: 'Lena' });
  conversationId = (await call('POST', '/conversations', ADMIN, { contactId: contact.id })).id;
  agentToken = (await call('POST', '/users', ADMIN, { name: 'Ava Agent', email: 'ava@example.com', role: 'agent' })).token;
}, 90_000);
afterAll(async () => {
  if (server) await killHard(server);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** `token`'s user launches the shortcut; its toast as the launcher shows it, fed by GET /runs/:id. */
async function launchedToast(token: string) {
  const { runId } = await call('POST', `/shortcuts/${workflowId}/launch`, token, { conversationId, values: {} });
  const client = createApiClient({ serverUrl: server.url, token });
  const source: RunStatusSource = { getRun: ({ runId: id }) => client.run(id), onPush: () => () => undefined };
  const view = render(<RunToast subject={{ kind: 'run', runId, shortcutName: 'Sync', conversationId }} source={source} onDismiss={() => undefined} />);
  const toast = view.container.querySelector<HTMLElement>('.ic-toast')!;
  await waitFor(() => expect(toast.getAttribute('data-status')).toBe('failed'), { timeout: 10_000 });
  return toast.querySelector('[role="alert"]')!.textContent ?? '';
}

describe('run toast: a request the server refused', () => {
  it('tells the agent who launched it "the request was refused", the words of the thread, without the server\'s configuration', async () => {
    const said = await launchedToast(agentToken);
    expect(said).toContain('Failed: the request was refused');
    expect(said).not.toContain('COMPANION_ALLOW_PRIVATE_URLS');
  });

  it('still gives an admin the whole error, with the setting to change', async () => {
    expect(await launchedToast(ADMIN)).toMatch(/Failed: .*to COMPANION_ALLOW_PRIVATE_URLS/);
  });
});
