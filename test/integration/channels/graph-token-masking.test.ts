import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messengerText, whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { startGraphStandIn, type GraphStandIn } from '../../support/graph-standin';
import { freePort, killHard, spawnServer, type ServerProcess } from '../../support/process';
import { PAGE, WA } from './support';

// Meta refuses a token it cannot parse with code 190 and quotes it whole: "Malformed access token
// EAAG…" (github.com/facebookarchive/react-native-fbsdk/issues/220). Whatever the companion keeps
// or shows of such a refusal (the channel's lastError on Channels, a run's error in the run
// history, the "Not sent: …" line on the thread every agent reads, an error answer, the server's
// log) must not hand the token on. The real server process, its log captured at debug level.

const ADMIN = `ict_${randomBytes(32).toString('base64url').slice(0, 43)}`;
const APP_SECRET = 'meta-app-secret-for-masking-tests';
// The punctuation a token may have (lib/contracts/channels.ts), `|` written %7C in a URL.
const WA_TOKEN = `EAAGwa.${randomBytes(24).toString('base64url')}|x`;
const PAGE_TOKEN = `EAAGpg.${randomBytes(24).toString('base64url')}|y`;
const NEW_TOKEN = `EAAGnew${randomBytes(24).toString('base64url')}`;
const AD_TOKEN = `EAAGads${randomBytes(24).toString('base64url')}`;

let graph: GraphStandIn;
let server: ServerProcess;
let dataDir: string;
const answers: string[] = [];

const call = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(`${server.url}/api/v1${p}`, {
    method, headers: { authorization: `Bearer ${ADMIN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  answers.push(text);
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
};
const deliver = async (payload: unknown) => {
  const raw = JSON.stringify(payload);
  const res = await fetch(`${server.url}/meta/webhook`, {
    method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}` },
  });
  expect(res.status).toBe(200);
};
const until = async <T>(read: () => Promise<T | undefined>): Promise<T> => {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
};
const conversationOf = (query: string) => until(async () => {
  const contacts = await call('GET', `/contacts?${query}`);
  const contact = contacts.body.contacts[0];
  if (!contact) return undefined;
  const list = await call('GET', `/conversations?contactId=${contact.id}&status=open`);
  return list.body.conversations[0] ? { contactId: contact.id as string, conversationId: list.body.conversations[0].id as string } : undefined;
});

/** The token as an answer or a log line could carry it: as is, JSON-escaped, percent-encoded, HTML-escaped, or its middle alone. */
const traces = (token: string) => [token, JSON.stringify(token).slice(1, -1), encodeURIComponent(token), token.replace(/"/g, '&quot;').replace(/</g, '&lt;'), token.slice(7, -3)];

let channels: { whatsappId: string; messengerId: string; adAccountId: string };
beforeAll(async () => {
  graph = await startGraphStandIn();
  graph.addPhoneNumber({ id: WA.phoneNumberId, token: WA_TOKEN, businessAccountId: WA.businessAccountId });
  graph.addBusinessAccount({ id: WA.businessAccountId, token: WA_TOKEN, templates: [] });
  graph.addPage({ id: PAGE.pageId, token: PAGE_TOKEN });
  graph.addAdAccount({ id: 'act_20230101', token: AD_TOKEN, ads: [] });
  dataDir = await mkdtemp(path.join(tmpdir(), 'companion-metamask-'));
  server = await spawnServer({
    LOG_LEVEL: 'debug', DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, META_GRAPH_URL: graph.url, META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'verify',
  }, await freePort());
  const wa = await call('POST', '/channels', { kind: 'whatsapp', name: 'Support', phoneNumberId: WA.phoneNumberId, businessAccountId: WA.businessAccountId, accessToken: WA_TOKEN });
  const fb = await call('POST', '/channels', { kind: 'messenger', name: 'Page', pageId: PAGE.pageId, pageAccessToken: PAGE_TOKEN });
  const ads = await call('POST', '/ads/accounts', { adAccountId: 'act_20230101', accessToken: AD_TOKEN });
  expect([wa.status, fb.status, ads.status], wa.text + fb.text + ads.text).toEqual([201, 201, 201]);
  channels = { whatsappId: wa.body.id, messengerId: fb.body.id, adAccountId: ads.body.id };
  await deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Where is my order?', name: 'Ana Lima' }));
  // From here on Meta cannot parse either token, and says so quoting it: the Messenger customer's
  // profile is asked for with the Page's token (and the refusal logged).
  graph.malformToken(WA_TOKEN);
  graph.malformToken(PAGE_TOKEN);
  graph.malformToken(NEW_TOKEN);
  graph.malformToken(AD_TOKEN);
  await deliver(messengerText({ psid: '4871203918', text: 'Do you ship to Lisbon?' }));
}, 60_000);
afterAll(async () => {
  if (server) await killHard(server);
  await graph?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a token Meta quotes back in a 190 refusal', () => {
  it('is masked wherever the refusal is kept or shown: sends, the run history, template lists, the channel check, Channels and the log', async () => {
    const wa = await conversationOf(`phone=${encodeURIComponent('+14155550123')}`);
    const fb = await conversationOf('q=3918');

    // An agent's WhatsApp reply and Messenger reply, each refused.
    const waReply = await call('POST', `/conversations/${wa.conversationId}/messages`, { text: 'It ships today' });
    const fbReply = await call('POST', `/conversations/${fb.conversationId}/messages`, { text: 'Yes, we ship to Lisbon' });
    expect([waReply.status, fbReply.status], waReply.text + fbReply.text).toEqual([201, 201]);
    expect(waReply.body.delivery).toMatchObject({ status: 'failed', error: expect.stringContaining('Malformed access token [redacted]') });
    expect(fbReply.body.delivery).toMatchObject({ status: 'failed', error: expect.stringContaining('Malformed access token [redacted]') });

    // A workflow's Send message on WhatsApp: the run fails, and the run history says why.
    const wf = await call('POST', '/workflows', { name: 'Shipped', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['go'] }, steps: [{ id: 'say', type: 'send_message', config: { text: 'Your order shipped' } }] });
    expect((await call('POST', `/workflows/${wf.body.id}/publish`)).status).toBe(200);
    expect((await call('POST', `/contacts/${wa.contactId}/tags`, { tags: ['go'] })).status).toBeLessThan(300);
    const run = await until(async () => {
      const runs = (await call('GET', `/workflows/${wf.body.id}/runs`)).body.runs as { id: string; status: string }[];
      return runs.find((r) => r.status === 'failed');
    });
    const detail = await call('GET', `/runs/${run.id}`);
    expect(detail.body.error).toContain('Malformed access token [redacted]');
    await call('GET', '/runs?status=failed');

    // The template list (admin's Send message step, agent's composer) and the check of a new token.
    const templates = await call('GET', `/channels/${channels.whatsappId}/whatsapp-templates`);
    expect(templates.status).toBe(422);
    expect(templates.body.error.message).toContain('Malformed access token [redacted]');
    expect((await call('GET', `/conversations/${wa.conversationId}/whatsapp-templates`)).status).toBeLessThan(500);
    const replaced = await call('PATCH', `/channels/${channels.messengerId}`, { accessToken: NEW_TOKEN });
    expect(replaced.status).toBe(422);
    expect(replaced.text).toContain('Malformed access token [redacted]');

    // The ad account's sync (Marketing API, the account's own token).
    const sync = await call('POST', `/ads/accounts/${channels.adAccountId}/sync`);
    expect(sync.status).toBe(502);
    expect(sync.body.error.message).toContain('Malformed access token [redacted]');
    await call('GET', '/ads/accounts');

    // What an admin and an agent read afterwards.
    const list = await call('GET', '/channels');
    const byId = Object.fromEntries((list.body.channels as { id: string; status: string; lastError: string | null }[]).map((c) => [c.id, c]));
    expect(byId[channels.whatsappId]).toMatchObject({ status: 'error', lastError: expect.stringContaining('Malformed access token [redacted]') });
    expect(byId[channels.messengerId]).toMatchObject({ status: 'error', lastError: expect.stringContaining('Malformed access token [redacted]') });
    await call('GET', `/conversations/${wa.conversationId}`);
    await call('GET', `/conversations/${fb.conversationId}`);
    await call('GET', `/conversations/${wa.conversationId}/messages`);

    await new Promise((r) => setTimeout(r, 300));
    const log = server.output().split('\n').filter((l) => l.startsWith('{'));
    expect(log.some((l) => l.includes('Malformed access token'))).toBe(true);
    for (const token of [WA_TOKEN, PAGE_TOKEN, NEW_TOKEN, AD_TOKEN]) {
      for (const trace of traces(token)) {
        expect(answers.filter((a) => a.includes(trace)), 'an API answer quotes the token').toEqual([]);
        expect(log.filter((l) => l.includes(trace)), 'the log quotes the token').toEqual([]);
      }
    }
  }, 60_000);
});
