import { describe, expect, it } from 'vitest';
import { subscribeTiming } from '../../server/apps/install';
import type { ScriptedApp } from '../support/scripted-app';
import type { TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { eachScriptedAppWorld, registerScriptedApp } from './apps-scripted-world';

// An app's server that answers an error quoting the request it got (a 503 echoing its body) put
// the live API key it was just sent, and the installation's secret auth values, in the admin's
// error message and in a delivery's lastError. What the request carried is masked there; the
// rest of the answer stays, so the admin still sees what the app said.

let server: TestServer;
let app: ScriptedApp;
eachScriptedAppWorld((world) => ({ server, app } = world));

const admin = () => server.api(server.adminToken);
const SECRET_VALUE = 'sk_live_account_secret_42';

const register = () => registerScriptedApp({ server, app }, {
  authInputs: [{ key: 'accountId', label: 'Account', type: 'string', required: true }, { key: 'apiToken', label: 'API token', type: 'secret', required: true }],
});
const authValues = { accountId: 'acct_1', apiToken: SECRET_VALUE };
const leaks = (text: string, ...secrets: string[]) => secrets.filter((s) => text.includes(s));
const quotingAuthValues = (body: { authValues: unknown }) => ({ error: 'cannot store', authValues: body.authValues });

describe('an app\'s answer quoting its request', () => {
  it('rotating the key: the 502 shows the answer without the new key or the secret auth value', async () => {
    const { appId, signingSecret } = await register();
    expect((await admin().post(`/apps/${appId}/install`, { authValues })).status).toBe(201);
    app.script('/subscribe', { status: 503, echo: true });
    const res = await admin().post(`/apps/${appId}/install/api-key/rotate`);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('subscribe_unconfirmed');
    const { apiKey } = app.to('/subscribe')[1]!.body;
    expect(apiKey).toMatch(/^ica_/);
    expect(leaks(res.body.error.message, apiKey, SECRET_VALUE, signingSecret)).toEqual([]);
    // What the app said is still there, with the secrets masked.
    expect(res.body.error.message).toMatch(/HTTP 503: \{"workspaceId":.*"apiKey":"\[redacted\]"/);

    // A server quoting the auth values first: the secret one is masked too.
    app.script('/subscribe', { status: 503, echo: quotingAuthValues });
    const again = await admin().post(`/apps/${appId}/install/api-key/rotate`);
    expect(again.status).toBe(502);
    expect(again.body.error.message).toContain('HTTP 503: {"error":"cannot store","authValues":{"accountId":"acct_1","apiToken":"[redacted]"}}');
  });

  it('installing: the 502 and the unsubscribe delivery\'s lastError show neither the key nor the secret auth value', async () => {
    subscribeTiming.timeoutMs = 2000;
    const { appId } = await register();
    app.script('/subscribe', { status: 503, echo: true });
    app.script('/unsubscribe', { status: 503, echo: quotingAuthValues }, { status: 503, echo: quotingAuthValues });
    const res = await admin().post(`/apps/${appId}/install`, { authValues });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('subscribe_failed');
    const { apiKey } = app.to('/subscribe')[0]!.body;
    expect(leaks(res.body.error.message, apiKey, SECRET_VALUE)).toEqual([]);
    expect(res.body.error.message).toContain('"apiKey":"[redacted]"');

    const delivery = await waitFor('the unsubscribe\'s failed attempt', async () => {
      const [d] = (await admin().get(`/apps/${appId}`)).body.deliveries as { lastError: string | null }[];
      return d?.lastError ? d : undefined;
    });
    expect(app.to('/unsubscribe')[0]!.body.authValues).toEqual(authValues);
    expect(delivery.lastError).toBe('HTTP 503: {"error":"cannot store","authValues":{"accountId":"acct_1","apiToken":"[redacted]"}}');
  });
});
