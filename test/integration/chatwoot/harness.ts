import { expect } from 'vitest';
import { ChatwootAccount } from '../../../lib/contracts/chatwoot';
import { startChatwootStandin, type ChatwootStandin } from '../../support/chatwoot-standin';
import { startTestServer, type TestServer } from '../../support/server';

export interface ChatwootPair {
  cw: ChatwootStandin;
  server: TestServer;
  account: ChatwootAccount;
  /** Delivers a webhook body to the account's URL (signed when the account has a secret). */
  hook(body: Record<string, unknown>, opts?: { deliveryId?: string; unsigned?: boolean }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A companion (allowed to reach loopback) connected to a Chatwoot stand-in. */
export async function startChatwootPair(opts: { workers?: boolean; webhookSecret?: string; databaseUrl?: string | undefined; env?: Record<string, string> } = {}): Promise<ChatwootPair> {
  const cw = await startChatwootStandin();
  const server = await startTestServer({
    env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0', ...opts.env }, workers: opts.workers ?? false,
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
  });
  const res = await server.api(server.adminToken).post('/chatwoot/accounts', {
    baseUrl: cw.url, accountId: cw.accountId, apiAccessToken: cw.token, ...(opts.webhookSecret ? { webhookSecret: opts.webhookSecret } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const account = ChatwootAccount.parse(res.body);
  cw.requests.length = 0;
  return {
    cw, server, account,
    hook: (body, o = {}) => cw.deliver(account.webhookUrl, body, {
      ...(opts.webhookSecret && !o.unsigned ? { secret: opts.webhookSecret } : {}),
      ...(o.deliveryId ? { deliveryId: o.deliveryId } : {}),
    }),
    close: async () => { await server.close(); await cw.close(); },
  };
}

export async function eventsOf(server: TestServer, ...types: string[]) {
  const all = await server.events();
  return all.filter((e) => types.includes(e.type));
}
