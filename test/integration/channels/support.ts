import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { startGraphStandIn, type GraphStandIn } from '../../support/graph-standin';
import { startTestServer, type TestServer } from '../../support/server';
import { waitForRun } from '../webhooks/support';

export const APP_SECRET = 'meta-app-secret-for-channel-tests';
export const WA = { phoneNumberId: '106540352242922', businessAccountId: '102290129340398', token: 'EAAGwaToken1234WXYZ' };
export const PAGE = { pageId: '682498302938465', token: 'EAAGpageToken5678ABCD' };

export interface ChannelWorld {
  graph: GraphStandIn;
  server: TestServer;
  whatsappId: string;
  messengerId: string;
  /** Posts a payload to /meta/webhook signed with the app secret. */
  deliver(payload: unknown): Promise<{ status: number; body: any }>;
  /** Publishes a workflow that runs `steps` when the tag `go` is added to a contact. */
  tagWorkflow(steps: unknown[]): Promise<string>;
  /** Adds the tag `go` and waits for the workflow's run on that contact to end. */
  fire(workflowId: string, contactId: string): Promise<any>;
  close(): Promise<void>;
}

/** A Graph stand-in that knows the test WhatsApp number and Page (with their tokens). */
export async function startTestGraph(): Promise<GraphStandIn> {
  const graph = await startGraphStandIn();
  graph.addPhoneNumber({ id: WA.phoneNumberId, token: WA.token, businessAccountId: WA.businessAccountId });
  graph.addPage({ id: PAGE.pageId, token: PAGE.token });
  return graph;
}

/**
 * Connects the test number and Page (the server's META_GRAPH_URL is `graph`): Meta's deliveries
 * for a number or Page not connected are not stored.
 */
export async function connectTestChannels(server: TestServer, graph: GraphStandIn): Promise<{ whatsappId: string; messengerId: string }> {
  const admin = server.api(server.adminToken);
  const wa = await admin.post('/channels', { kind: 'whatsapp', name: 'Support', phoneNumberId: WA.phoneNumberId, businessAccountId: WA.businessAccountId, accessToken: WA.token });
  const fb = await admin.post('/channels', { kind: 'messenger', name: 'Page', pageId: PAGE.pageId, pageAccessToken: PAGE.token });
  expect(wa.status).toBe(201);
  expect(fb.status).toBe(201);
  graph.requests.length = 0;
  return { whatsappId: wa.body.id, messengerId: fb.body.id };
}

/** A server talking to a Graph stand-in, with one WhatsApp number and one Page connected. */
export async function startChannelWorld(opts: { databaseUrl?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ChannelWorld> {
  const graph = await startTestGraph();
  const server = await startTestServer({ ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}), env: { ...opts.env, META_GRAPH_URL: graph.url, META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify' } });
  const admin = server.api(server.adminToken);
  const { whatsappId, messengerId } = await connectTestChannels(server, graph);
  return {
    graph, server, whatsappId, messengerId,
    deliver: (payload) => postSignedMeta(server, payload),
    async tagWorkflow(steps) {
      const wf = await admin.post('/workflows', { name: `Send ${Math.random()}`, trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] }, steps });
      expect(wf.status, JSON.stringify(wf.body)).toBe(201);
      const pub = await admin.post(`/workflows/${wf.body.id}/publish`);
      expect(pub.status, JSON.stringify(pub.body)).toBe(200);
      return wf.body.id;
    },
    async fire(workflowId, contactId) {
      await admin.del(`/contacts/${contactId}/tags/go`);
      const res = await admin.post(`/contacts/${contactId}/tags`, { tags: ['go'] });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      const until = Date.now() + 10_000;
      for (;;) {
        const runs = await admin.get(`/workflows/${workflowId}/runs`);
        const mine = (runs.body.runs as { id: string; contactId: string; status: string }[]).filter((r) => r.contactId === contactId);
        const newest = mine.sort((a, b) => (a.id < b.id ? 1 : -1))[0];
        if (newest && ['completed', 'failed', 'cancelled'].includes(newest.status)) return waitForRun(server, newest.id);
        if (Date.now() > until) throw new Error(`no finished run for ${contactId}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() { await server.close(); await graph.close(); },
  };
}

/** The contact and open conversation a customer's first message created. */
export async function conversationOf(server: TestServer, query: string) {
  const admin = server.api(server.adminToken);
  const contacts = await admin.get(`/contacts?${query}`);
  const contact = contacts.body.contacts[0];
  const list = await admin.get(`/conversations?contactId=${contact.id}&status=open`);
  const conversation = await admin.get(`/conversations/${list.body.conversations[0].id}`);
  return { contact, conversation: conversation.body };
}

/** A customer's WhatsApp number in the after-close suites (Sheena Park). */
export const SHEENA_WA_ID = '14155550123';

/** Sheena wrote on WhatsApp, then an agent closed the conversation; the Graph log starts empty. */
export async function closedOnWhatsApp(w: ChannelWorld) {
  expect((await w.deliver(whatsappPlainMessage({ waId: SHEENA_WA_ID, text: 'I take the sofa', name: 'Sheena Park' }))).status).toBe(200);
  const { contact, conversation } = await conversationOf(w.server, `phone=${encodeURIComponent(`+${SHEENA_WA_ID}`)}`);
  expect((await w.server.api(w.server.adminToken).post(`/conversations/${conversation.id}/close`, {})).status).toBe(200);
  w.graph.requests.length = 0;
  return { contact, closed: conversation as { id: string } };
}

/** A Meta webhook delivery as Meta signs it (X-Hub-Signature-256 over the raw body with the app secret). */
export function postSignedMeta(server: TestServer, payload: unknown) {
  const raw = JSON.stringify(payload);
  return server.request('POST', '/meta/webhook', { body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}` } });
}

/** The same, which Meta must take (200). */
export async function deliverSignedMeta(server: TestServer, payload: unknown) {
  const res = await postSignedMeta(server, payload);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

/** The user joined, and the server began keeping reads, at `at`: what comes after is unread to them (migration 094). */
export async function readsSince(server: TestServer, userId: string, at: string) {
  await server.store.db.updateTable('users').set({ created_at: at }).where('id', '=', userId).execute();
  await server.store.db.updateTable('settings').set({ value: JSON.stringify(at) }).where('key', '=', 'unread_since').execute();
}
