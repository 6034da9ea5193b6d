import { expect } from 'vitest';
import { ChatwootAccount } from '../../../lib/contracts/chatwoot';
import { Contact } from '../../../lib/contracts/contacts';
import { ConversationList } from '../../../lib/contracts/conversations';
import type { Config } from '../../../server/config';
import { startChatwootStandin, type ChatwootStandin, type CwStandinConversation, type CwStandinMessage } from '../../support/chatwoot-standin';
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
export async function startChatwootPair(opts: {
  workers?: boolean; webhookSecret?: string; databaseUrl?: string | undefined; env?: Record<string, string>;
  /** Settings past the environment's bounds (CHATWOOT_SYNC_SECONDS below 10 s). */
  config?: Partial<Config>;
  /** Runs before the account is connected (workflows, what Chatwoot already holds): no sync can come first. */
  beforeConnect?: (server: TestServer, cw: ChatwootStandin) => Promise<void>;
} = {}): Promise<ChatwootPair> {
  const cw = await startChatwootStandin();
  const server = await startTestServer({
    env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0', ...opts.env }, workers: opts.workers ?? false,
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}), ...(opts.config ? { config: opts.config } : {}),
  });
  await opts.beforeConnect?.(server, cw);
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

/**
 * Jane Doe writes "Refund please" in Chatwoot, and an agent then adds the label `label` there (both
 * webhooks delivered): what starts the tests' "contact tag added" workflows on a Chatwoot conversation.
 */
export async function janeLabelled(p: ChatwootPair, label = 'go') {
  const contact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
  const conv = p.cw.addConversation({ contactId: contact.id, firstMessage: { content: 'Refund please', incoming: true } });
  await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
  conv.labels = [label]; p.cw.touch(conv);
  p.cw.accountLabels.add(label);
  await p.hook(p.cw.conversationPayload(conv.id, 'conversation_updated', { label_list: { previous_value: [], current_value: [label] } }));
  return { contact, conv };
}

export async function eventsOf(server: TestServer, ...types: string[]) {
  const all = await server.events();
  return all.filter((e) => types.includes(e.type));
}

const DAY = 86_400;

/** What Chatwoot held before the account was connected: created (and last active) `days` ago. */
export function before(conv: CwStandinConversation, days = 1) {
  conv.created_at -= days * DAY;
  conv.last_activity_at -= days * DAY;
  for (const m of conv.messages) m.created_at -= days * DAY;
  return conv;
}

/** A customer writes in Chatwoot (which reopens a resolved conversation, message.rb:369-388); the deliveries are lost. */
export function customerWrites(p: ChatwootPair, conv: CwStandinConversation, content: string): CwStandinMessage {
  const msg: CwStandinMessage = { id: 70_000 + conv.id, content, message_type: 0, private: false, created_at: Math.floor(Date.now() / 1000), sender_type: 'Contact' };
  conv.messages.push(msg);
  conv.status = 'open';
  conv.last_activity_at = msg.created_at;
  p.cw.touch(conv);
  return msg;
}

/** The types of the events recorded as imported (their note says so), in order. */
export async function importedEvents(p: ChatwootPair) {
  const rows = await p.server.store.db.selectFrom('events').select(['type', 'note']).orderBy('id').execute();
  return rows.filter((e) => e.note?.startsWith('imported')).map((e) => e.type);
}

/**
 * Jane Doe's conversation ("Spam spam") mirrored here, then deleted in Chatwoot and closed here by
 * a sync as `deleted_in_chatwoot`: the mirror, and the Chatwoot conversation's display id.
 */
export async function mirrorDeletedInChatwoot(p: ChatwootPair) {
  const admin = p.server.api(p.server.adminToken);
  const jane = p.cw.addContact({ name: 'Jane Doe' });
  const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Spam spam', incoming: true } });
  expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
  p.cw.conversations.delete(conv.id);
  expect((await admin.post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);
  const [mirror] = ConversationList.parse((await admin.get('/conversations')).body).conversations;
  expect(mirror).toMatchObject({ status: 'closed', closeReason: 'deleted_in_chatwoot' });
  return { mirror: mirror!, displayId: conv.id };
}

/**
 * Jane Doe (jane@example.com) writes "Hello" in Chatwoot and its conversation_created webhook
 * mirrors her here: her Chatwoot conversation, and her contact's id here.
 */
export async function janeWritesIn(p: ChatwootPair) {
  const jane = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
  const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Hello', incoming: true } });
  expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
  const contactId = Contact.parse((await p.server.api(p.server.adminToken).get('/contacts?email=jane%40example.com')).body.contacts[0]).id;
  return { conv, contactId };
}
