import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatwootAccount } from '../../lib/contracts/chatwoot';
import { startChatwootPair, type ChatwootPair } from '../integration/chatwoot/harness';
import { LOOPBACK_TLS, trustCertificates } from '../support/loopback-tls';
import type { ExtensionBrowser } from './support/browser';
import { openConnectedSettings, retypeField, waitForOptionsText } from './support/options-page';

// The options page (built extension, real Chromium) against the real server and the Chatwoot
// stand-in, which its admin has just put behind TLS: the connection's address is edited in place
// (Settings → Chatwoot → Address), checked there by the server; an address where nothing answers
// is refused saying so. Was: no way but disconnecting and connecting again.

let p: ChatwootPair;
let ext: ExtensionBrowser;
let options: Page;
let untrust: () => void;

beforeAll(async () => {
  p = await startChatwootPair();
  untrust = trustCertificates(LOOPBACK_TLS.cert);
  await p.cw.serveTls(LOOPBACK_TLS);
  ({ ext, options } = await openConnectedSettings(p.server.url, p.server.adminToken));
});

afterAll(async () => {
  await ext?.close();
  untrust?.();
  await p?.close();
});

const waitText = (text: string) => waitForOptionsText(options, text);
const retype = (label: string, value: string) => retypeField(options, label, value);
const save = async () => (await options.waitForSelector('::-p-aria(Save the address of Acme Support[role="button"])'))!.click();

describe('options: a Chatwoot that moved to https', () => {
  it('an address where nothing answers is refused saying so; the https one is taken, the same connection with the same webhook URL', async () => {
    const http = p.account.baseUrl;
    const https = p.cw.url;
    await waitText(`account 1 at ${http}`);

    await retype('Chatwoot address of Acme Support', 'http://127.0.0.1:1');
    await save();
    await waitText('Cannot reach Chatwoot at http://127.0.0.1:1');
    expect(ChatwootAccount.parse((await p.server.api(p.server.adminToken).get(`/chatwoot/accounts/${p.account.id}`)).body).baseUrl).toBe(http);

    await retype('Chatwoot address of Acme Support', https);
    await save();
    await waitText(`Address changed to ${https}.`);
    await waitText(`account 1 at ${https}`);
    const account = ChatwootAccount.parse((await p.server.api(p.server.adminToken).get(`/chatwoot/accounts/${p.account.id}`)).body);
    expect(account).toMatchObject({ id: p.account.id, baseUrl: https, origin: https, webhookUrl: p.account.webhookUrl });
    expect(p.cw.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /api/v1/profile');
  });
});
