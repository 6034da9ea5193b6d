import { expect } from 'vitest';
import { ChatwootAccount } from '../../../lib/contracts/chatwoot';
import { Contact } from '../../../lib/contracts/contacts';
import { Run } from '../../../lib/contracts/runs';
import type { ChatwootStandin } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';

/** The companion taking the requests (the runs may execute on another thread or instance), and an admin's token. */
export interface Companion { url: string; token: string }

/**
 * Update Contact Field on a contact that Chatwoot knows, run before any account was connected,
 * then after connecting one, after disconnecting it, and after connecting it again. Whether the
 * step writes Chatwoot's contact first is decided from the accounts the executing process keeps
 * in memory (server/connectors/chatwoot/account-channels.ts): each connect and disconnect must
 * reach it at once, also when the runs execute on another thread or instance than the one that
 * took the request. Kept for 5 s instead, the write after connecting stayed local: the agent in
 * Chatwoot never saw it.
 */
export async function connectLater(companion: Companion, cw: ChatwootStandin) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${companion.url}/api/v1${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer ${companion.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
    return { status: res.status, body: await res.json().catch(() => undefined) as any };
  };
  const ok = async (status: number, method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  await ok(200, 'PUT', '/fields/plan', { label: 'Plan', type: 'text' });
  const janeId = Contact.parse(await ok(201, 'POST', '/contacts', { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' })).id;
  const flow = await ok(201, 'POST', '/workflows', {
    name: 'Set plan', trigger: { type: 'manual' }, steps: [{ id: 'plan', type: 'update_contact_field', config: { field: 'plan', value: '{{$trigger.plan}}' } }],
  });
  await ok(200, 'POST', `/workflows/${flow.id}/publish`);
  const writes = () => cw.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`);
  /** Sets Jane's plan through the workflow: the run's last output, once it completed. */
  const setPlan = async (plan: string) => {
    const started = await ok(202, 'POST', `/workflows/${flow.id}/start`, { contact: { id: janeId }, variables: { plan } });
    const run = await waitFor(`the run setting ${plan}`, async () => {
      const r = Run.parse(await ok(200, 'GET', `/runs/${started.runIds[0]}`));
      return ['completed', 'failed'].includes(r.status) ? r : undefined;
    });
    expect(run.status, run.error ?? '').toBe('completed');
    expect(Contact.parse(await ok(200, 'GET', `/contacts/${janeId}`)).fields).toEqual({ plan });
    return run.stepLog.at(-1)!.output;
  };
  const connect = async () => ChatwootAccount.parse(await ok(201, 'POST', '/chatwoot/accounts', { baseUrl: cw.url, accountId: cw.accountId, apiAccessToken: cw.token }));

  // No account yet: written here only (and the process running the step has read that there is none).
  expect(await setPlan('Basic')).not.toHaveProperty('chatwootContactId');
  expect(cw.requests).toEqual([]);

  // Connected, and Chatwoot learns of Jane (same email): the next write goes there first.
  const account = await connect();
  const cwJane = cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
  expect((await cw.deliver(account.webhookUrl, cw.contactPayload(cwJane.id, 'contact_created'))).status).toBe(200);
  cw.requests.length = 0;
  expect(await setPlan('Pro')).toMatchObject({ chatwootContactId: cwJane.id });
  expect(writes()).toEqual([`PUT /api/v1/accounts/1/contacts/${cwJane.id} {"custom_attributes":{"plan":"Pro"}}`]);

  // Disconnected: its token is forgotten, so the write stays here, asking nothing of Chatwoot.
  cw.requests.length = 0;
  await ok(200, 'DELETE', `/chatwoot/accounts/${account.id}`);
  expect(await setPlan('Team')).not.toHaveProperty('chatwootContactId');
  expect(cw.requests).toEqual([]);

  // Connected again: Jane is re-linked with the account (no webhook needed) and written there at once.
  expect((await connect()).relinked).toBe(true);
  cw.requests.length = 0;
  expect(await setPlan('Enterprise')).toMatchObject({ chatwootContactId: cwJane.id });
  expect(writes()).toEqual([`PUT /api/v1/accounts/1/contacts/${cwJane.id} {"custom_attributes":{"plan":"Enterprise"}}`]);
  expect(cwJane.custom_attributes).toEqual({ plan: 'Enterprise' });
}
