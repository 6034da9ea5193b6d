import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatwootStandin, type ChatwootStandin } from '../../support/chatwoot-standin';
import { freePort, killHard, spawnServer, type ServerProcess } from '../../support/process';

// The real server's log at LOG_LEVEL=debug, read for every token a sender, Meta or Chatwoot
// used, in the forms requests really take: a verify token holding a quote (the admin chose it;
// Node takes `"` raw in a request line), a base URL ending in a slash (`/hooks//<token>`), a
// client writing credentials or a #fragment into the request line, and another side's error
// quoting a token as `access_token=…`. Each of these once wrote the token, or its tail, to the log.

const ADMIN = `ict_${randomBytes(32).toString('base64url').slice(0, 43)}`;
const VERIFY = `verify"${randomBytes(9).toString('hex')}'tail`;
const SENDER_PASSWORD = `pw${randomBytes(9).toString('hex')}`;
const META_TOKEN = `EAAGcw${randomBytes(24).toString('base64url')}`;

let server: ServerProcess;
let cw: ChatwootStandin;
let dataDir: string;
let port: number;

/** One request line written as is (fetch would normalise it): the answer's status. */
const rawLine = (method: string, target: string, body = '') => new Promise<number>((resolve, reject) => {
  const socket = net.connect(port, '127.0.0.1', () => socket.write(
    `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  ));
  let answer = '';
  socket.on('data', (d) => { answer += String(d); });
  socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
  socket.on('error', reject);
});
const api = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(`${server.url}/api/v1${p}`, {
    method, headers: { authorization: `Bearer ${ADMIN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() as any };
};
const logLines = () => server.output().split('\n').filter((l) => l.startsWith('{'));
/** The secret as a log line could carry it: as is, JSON-escaped, percent-encoded, or its second half alone. */
const traces = (secret: string) => [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), secret.slice(Math.floor(secret.length / 2))];
const leaks = (secret: string) => logLines().filter((l) => traces(secret).some((t) => l.includes(t)));
const settle = () => new Promise((r) => setTimeout(r, 300));
let chatwootAccount: { webhookUrl: string } | undefined;
const connectChatwoot = async () => {
  if (chatwootAccount) return chatwootAccount;
  const account = await api('POST', '/chatwoot/accounts', { baseUrl: cw.url, accountId: cw.accountId, apiAccessToken: cw.token });
  expect(account.status, JSON.stringify(account.body)).toBe(201);
  chatwootAccount = account.body as { webhookUrl: string };
  return chatwootAccount;
};

beforeAll(async () => {
  cw = await startChatwootStandin();
  dataDir = await mkdtemp(path.join(tmpdir(), 'companion-logredact-'));
  port = await freePort();
  server = await spawnServer({
    LOG_LEVEL: 'debug', DATA_DIR: dataDir, COMPANION_ADMIN_TOKEN: ADMIN, META_VERIFY_TOKEN: VERIFY, META_APP_SECRET: 'meta-app-secret-for-log-tests',
    COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', CHATWOOT_SYNC_SECONDS: '0',
  }, port);
}, 60_000);
afterAll(async () => {
  if (server) await killHard(server);
  await cw?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the server log', () => {
  it('keeps a webhook URL token out, however the sender wrote the URL', async () => {
    expect((await api('POST', '/contacts', { phone: '+14155550123' })).status).toBe(201);
    const wf = await api('POST', '/workflows', {
      name: 'hook', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' } },
      steps: [{ id: 's', type: 'add_comment', config: { text: 'hi' } }],
    });
    expect((await api('POST', `/workflows/${wf.body.id}/publish`)).status).toBe(200);
    const token = new URL(wf.body.trigger.url).pathname.split('/').pop()!;
    const body = JSON.stringify({ phone: '+14155550123' });
    // Delivered (credentials in an absolute-form request line), and the same URL with a doubled slash.
    expect(await rawLine('POST', `http://sender:${SENDER_PASSWORD}@127.0.0.1:${port}/hooks/${token}`, body)).toBe(202);
    expect(await rawLine('POST', `/hooks//${token}`, body)).toBe(404);
    await settle();
    expect(logLines().some((l) => l.includes('/hooks/[redacted]'))).toBe(true);
    expect(leaks(token), 'the hook token is in the log').toEqual([]);
    expect(leaks(SENDER_PASSWORD), 'the sender\'s password is in the log').toEqual([]);
  });

  it('keeps Meta\'s verify token out: a token with quotes, and one in a fragment', async () => {
    const query = `hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`;
    expect(await rawLine('GET', `/meta/webhook?${query}`)).toBe(200);
    expect(await rawLine('GET', `/meta/webhook?hub.mode=subscribe&hub.challenge=1#hub.verify_token=${VERIFY}`)).toBe(403);
    await settle();
    expect(logLines().some((l) => l.includes('hub.verify_token=[redacted]'))).toBe(true);
    expect(leaks(VERIFY), 'the verify token is in the log').toEqual([]);
  });

  it('keeps a Chatwoot webhook URL token out, however the sender wrote the URL', async () => {
    const account = await connectChatwoot();
    const hookToken = (account.webhookUrl as string).split('/').pop()!;
    const contact = cw.addContact({ name: 'Bo Reis' });
    const conv = cw.addConversation({ contactId: contact.id });
    expect((await cw.deliver(account.webhookUrl, cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    expect(await rawLine('POST', `/chatwoot/webhook//${hookToken}`, '{}')).toBe(404);
    await settle();
    expect(logLines().some((l) => l.includes('/chatwoot/webhook/[redacted]'))).toBe(true);
    expect(leaks(hookToken), 'the Chatwoot webhook token is in the log').toEqual([]);
  });

  it('keeps a token out that another side\'s error quotes as access_token=', async () => {
    const account = await connectChatwoot();
    // A conversation in an inbox not seen yet: its name is read from Chatwoot, which answers with
    // an error quoting the WhatsApp Cloud token of its inbox. Chatwoot's exception handler renders
    // `{ error: message }` (app/controllers/concerns/request_exception_handler.rb). Reads are tried
    // twice (connectors/chatwoot/api.ts): both answers are the error.
    const refusal = {
      status: 500, contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ error: `Whatsapp::Providers::WhatsappCloudService: access_token=${META_TOKEN} was refused: Malformed access token ${META_TOKEN}` }),
    };
    cw.failNext(/^GET \/api\/v1\/accounts\/\d+\/inboxes$/, refusal, refusal);
    const contact = cw.addContact({ name: 'Ana Lima' });
    const conv = cw.addConversation({ contactId: contact.id, inboxId: 9 });
    expect((await cw.deliver(account.webhookUrl, cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);
    await settle();
    expect(logLines().some((l) => l.includes('Chatwoot inboxes could not be read') && l.includes('access_token=[redacted]'))).toBe(true);
    expect(leaks(META_TOKEN), 'the quoted Meta token is in the log').toEqual([]);
    expect(leaks(cw.token), 'the Chatwoot token is in the log').toEqual([]);
  });
});
