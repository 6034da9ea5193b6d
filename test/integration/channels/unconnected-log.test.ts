import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messengerText, whatsappPlainMessage, whatsappStatus } from '../../fixtures/meta/payloads';
import { onNumber, onPage, whatsappErrors } from '../../fixtures/meta/message-kinds';
import { freePort, killHard, spawnServer, type ServerProcess } from '../../support/process';

// What the admin sees in the server's log (LOG_LEVEL=warn) when the Meta app delivers for a number
// or Page that is not connected (a misconfigured subscription): one warning per number a minute,
// naming its phone_number_id / Page id; and Meta's error notifications with their code and title.

const SECRET = 'meta-secret-for-the-log-test';
let server: ServerProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'companion-meta-log-'));
  server = await spawnServer({ DATA_DIR: dataDir, META_APP_SECRET: SECRET, META_VERIFY_TOKEN: 'verify' }, await freePort());
}, 60_000);
afterAll(async () => { await killHard(server); await rm(dataDir, { recursive: true, force: true }); });

const deliver = async (payload: unknown) => {
  const raw = JSON.stringify(payload);
  const res = await fetch(`${server.url}/meta/webhook`, {
    method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` },
  });
  return { status: res.status, body: await res.json() };
};
const warnings = () => server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 40);

it('warns once a minute per number or Page not connected, with its id; Meta’s error notifications with code and title', async () => {
  for (let i = 0; i < 3; i++) {
    const res = await deliver(onNumber(whatsappPlainMessage({ waId: `1415555012${i}`, text: 'Hi' }), '109999888777666'));
    expect(res).toMatchObject({ status: 200, body: { ignored: 1 } });
  }
  await deliver(onNumber(whatsappStatus({ wamid: 'wamid.x', status: 'read', recipient: '14155550120' }), '109999888777666'));
  await deliver(onNumber(whatsappPlainMessage({ waId: '14155550129', text: 'Hi' }), '108888777666555'));
  await deliver(onPage(messengerText({ psid: '4871203918', text: 'Hello' }), '700000000000001'));
  expect((await deliver(whatsappErrors())).body).toMatchObject({ errors: 1 });

  await new Promise((r) => setTimeout(r, 200));
  const notConnected = warnings().filter((l) => String(l.msg).includes('not connected here'));
  expect(notConnected.map((l) => l.phoneNumberId ?? l.pageId)).toEqual(['109999888777666', '108888777666555', '700000000000001']);
  expect(String(notConnected[0]!.msg)).toMatch(/WhatsApp number 109999888777666 \(phone_number_id\) is not connected here.*Connect it under Channels/);
  const metaError = warnings().find((l) => String(l.msg).includes('error notification'));
  expect(metaError).toMatchObject({ phoneNumberId: '106540352242922', code: 130429, title: 'Rate limit hit' });
}, 60_000);
