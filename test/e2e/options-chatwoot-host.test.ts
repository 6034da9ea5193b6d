import net from 'node:net';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatwootAccount } from '../../lib/contracts/chatwoot';
import { startChatwootPair, type ChatwootPair } from '../integration/chatwoot/harness';
import type { ExtensionBrowser } from './support/browser';
import { openConnectedSettings, retypeField, waitForOptionsText } from './support/options-page';

// The options page (built extension, real Chromium) against the real server and the Chatwoot
// stand-in, moved behind a new host name (127.0.0.2 here, a proxy to the same Chatwoot): the
// Address field asks for the access token once the host differs, and the server proves the new
// address with that token only; the connected one never reaches the new host. Was: the connected
// token was sent to whatever host was typed.

let p: ChatwootPair;
let ext: ExtensionBrowser;
let options: Page;
let proxy: net.Server;
const seen: string[] = [];

beforeAll(async () => {
  p = await startChatwootPair({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1,127.0.0.2' } });
  const upstream = Number(new URL(p.cw.url).port);
  proxy = net.createServer((client) => {
    const up = net.connect(upstream, '127.0.0.1');
    client.on('data', (chunk) => seen.push(chunk.toString('latin1')));
    client.pipe(up).pipe(client);
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.2', r));
  ({ ext, options } = await openConnectedSettings(p.server.url, p.server.adminToken));
});

afterAll(async () => {
  await ext?.close();
  await new Promise((r) => proxy?.close(r));
  await p?.close();
});

const waitText = (text: string) => waitForOptionsText(options, text);
const retype = (label: string, value: string) => retypeField(options, label, value);
const saveButton = () => options.waitForSelector('::-p-aria(Save the address of Acme Support[role="button"])');

describe('options: a Chatwoot moved to another host', () => {
  it('asks for the token there, and the new host gets only the token typed', async () => {
    const connected = p.cw.token;
    const moved = `http://127.0.0.2:${(proxy.address() as net.AddressInfo).port}`;
    await waitText(`account 1 at ${p.account.baseUrl}`);

    await retype('Chatwoot address of Acme Support', moved);
    await waitText('Access token at 127.0.0.2');
    await waitText('The connected token is only ever sent to 127.0.0.1.');
    expect(await (await saveButton())!.evaluate((b) => (b as HTMLButtonElement).disabled)).toBe(true);

    // Its admin reset the token while moving it (Profile settings → Access Token → Reset).
    p.cw.token = 'cw_token_after_the_move_5678';
    await retype('Access token of Acme Support at the new address', p.cw.token);
    await (await saveButton())!.click();
    await waitText(`Address changed to ${moved}.`);
    await waitText(`account 1 at ${moved}`);
    const account = ChatwootAccount.parse((await p.server.api(p.server.adminToken).get(`/chatwoot/accounts/${p.account.id}`)).body);
    expect(account).toMatchObject({ id: p.account.id, baseUrl: moved, tokenLastFour: '••••5678', webhookUrl: p.account.webhookUrl });
    expect(seen.join('')).toContain(`api_access_token: ${p.cw.token}`);
    expect(seen.join('')).not.toContain(connected);
  });
});
