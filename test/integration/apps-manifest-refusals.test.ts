import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppManifest } from '../../lib/contracts/apps';
import { insertApp } from '../../server/apps/store';
import { generateSigningSecret } from '../../server/signing/standard-webhooks';
import { lastKey, startAppSink, type AppSink } from '../support/app-sink';
import { startTestServer, type TestServer } from '../support/server';

// A developer writing a manifest from the mini-app 2.0 pages ("app name, description, logo, cover
// image, video link") types `logo` or a trigger `description`: those were dropped and the 201
// said nothing, so the app went live without them. Now the key is named, with the keys taken
// there, on POST and PUT /apps; an install body that does not put its values in authValues too.
// Over real HTTP, the app's server a loopback sink.

let server: TestServer;
let sink: AppSink;
beforeEach(async () => {
  server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  sink = await startAppSink(server);
});
afterEach(async () => {
  await sink.close();
  await server.close();
});

const admin = () => server.api(server.adminToken);
const manifest = (extra: Record<string, unknown> = {}) => ({
  key: 'payments', name: 'Payments', scopes: ['contacts.read'], ...sink.urls,
  authInputs: [{ key: 'accountId', label: 'Account', type: 'string' }],
  fields: [{ key: 'status', label: 'Status', type: 'text' }],
  triggers: [{ key: 'paid', name: 'Paid', items: ['status'] }],
  actions: [{ key: 'refund', name: 'Refund', request: { method: 'POST', url: 'https://pay.example.com/refunds' } }],
  ...extra,
});

describe('a manifest key the contract does not take', () => {
  it.each([
    ['logo for logoUrl', { logo: 'https://pay.example.com/logo.png' }, 'body',
      'Unknown key "logo": a manifest takes key, name, description, logoUrl, coverUrl, videoUrl, scopes, authInputs, fields, triggers, actions, subscribeUrl, unsubscribeUrl (for "logo", did you mean "logoUrl"?). Rename or remove it: nothing unknown is kept'],
    ['a trigger description', { triggers: [{ key: 'paid', name: 'Paid', description: 'When paid', items: ['status'] }] }, 'body.triggers.0',
      'Unknown key "description": a trigger takes key, name, items. Rename or remove it: nothing unknown is kept'],
    ['a field "required"', { fields: [{ key: 'status', label: 'Status', type: 'text', required: true }] }, 'body.fields.0',
      'Unknown key "required": a field takes key, label, type. Rename or remove it: nothing unknown is kept'],
    ['an auth input "placeholder"', { authInputs: [{ key: 'accountId', label: 'Account', type: 'string', placeholder: 'acct_…' }] }, 'body.authInputs.0',
      'Unknown key "placeholder": an auth input takes key, label, type, required, maxLength. Rename or remove it: nothing unknown is kept'],
    ['a request "timeout"', { actions: [{ key: 'refund', name: 'Refund', request: { method: 'POST', url: 'https://pay.example.com/r', timeout: 5000 } }] }, 'body.actions.0.request',
      'Unknown key "timeout": a request takes method, url, headers, body, timeoutMs (for "timeout", did you mean "timeoutMs"?). Rename or remove it: nothing unknown is kept'],
  ])('POST /apps with %s is a 422 naming it and what is taken there; nothing is registered', async (_, extra, path, message) => {
    const res = await admin().post('/apps', manifest(extra));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{ path, message }]);
    expect((await admin().get('/apps')).body.apps).toEqual([]);
  });

  it('PUT /apps/:id with an unknown key is a 422 and the stored manifest stays as it was', async () => {
    const registered = await admin().post('/apps', manifest({ logoUrl: 'https://pay.example.com/logo.png' }));
    expect(registered.status).toBe(201);
    const id = registered.body.app.id as string;
    const res = await admin().put(`/apps/${id}`, manifest({ cover: 'https://pay.example.com/cover.png' }));
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].message).toContain('Unknown key "cover"');
    expect(res.body.error.details[0].message).toContain('did you mean "coverUrl"?');
    expect((await admin().get(`/apps/${id}`)).body.manifest.logoUrl).toBe('https://pay.example.com/logo.png');
  });
});

describe('an install body without authValues', () => {
  it.each([
    ['the values unwrapped', { accountId: 'acct_42' }, 'Unknown key "accountId"'],
    ['"auth" for "authValues"', { auth: { accountId: 'acct_42' } }, 'Unknown key "auth"'],
  ])('%s is a 422 saying where the values go; nothing is installed or sent to the app', async (_, body, unknown) => {
    const id = (await admin().post('/apps', manifest())).body.app.id as string;
    const res = await admin().post(`/apps/${id}/install`, body);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body', message: `${unknown}: the install values go in authValues: {"authValues": {"accountId": "acct_42"}}` }]);
    expect(sink.received).toEqual([]);
    expect((await admin().get(`/apps/${id}`)).body.installation).toBeNull();
    expect((await admin().post(`/apps/${id}/install`, { authValues: { accountId: 'acct_42' } })).status).toBe(201);
    expect(sink.received.map((r) => [r.path, r.body.authValues])).toEqual([['/subscribe', { accountId: 'acct_42' }]]);
  });
});

// The logo, cover and video are loaded by the admin's browser on the options page: a manifest
// naming a private address had that browser send requests into its own network. This server
// allow-lists 127.0.0.1 only (those are taken: apps-media-allow-list.test.ts).
describe('logo, cover and video on a private address', () => {
  it.each([
    ['logoUrl', 'https://192.168.1.1/cgi-bin/reboot', '192.168.1.1'],
    ['coverUrl', 'https://localhost:8443/admin/cover.png', 'localhost'],
    ['videoUrl', 'https://[::1]/intro.mp4', '[::1]'],
    ['logoUrl', 'https://0xa.1/logo.png', '10.0.0.1'],
  ])('%s %s is a 422 at that key naming the host; nothing is registered', async (key, url, host) => {
    const res = await admin().post('/apps', manifest({ [key]: url }));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{
      path: `body.${key}`,
      message: `${host} is a private, loopback or local-network address: the options page would load it from the admin's own network each time it opens. Use a public https:// address, or, if the host is on your own network, have the server's operator add "${host.replace(/^\[|\]$/g, '')}" to COMPANION_ALLOW_PRIVATE_URLS`,
    }]);
    expect((await admin().get('/apps')).body.apps).toEqual([]);
  });

  it('PUT /apps/:id moving the logo to a private address is refused; public addresses are taken', async () => {
    const registered = await admin().post('/apps', manifest({ logoUrl: 'https://pay.example.com/logo.png', videoUrl: 'https://www.youtube.com/watch?v=abc' }));
    expect(registered.status).toBe(201);
    const id = registered.body.app.id as string;
    const res = await admin().put(`/apps/${id}`, manifest({ logoUrl: 'https://10.0.0.7/logo.png' }));
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].path).toBe('body.logoUrl');
    expect((await admin().get(`/apps/${id}`)).body.manifest.logoUrl).toBe('https://pay.example.com/logo.png');
  });
});

// A field called "constructor" or "toString" could never be left out of a Fire Trigger: the
// missing item was read as every object's own constructor ("constructor must be text").
describe('a key every JavaScript object already has', () => {
  it.each([
    ['a field "constructor"', { fields: [{ key: 'status', label: 'Status', type: 'text' }, { key: 'constructor', label: 'Builder', type: 'text' }] }, 'body.fields.1.key', 'constructor'],
    ['an auth input "__proto__"', { authInputs: [{ key: '__proto__', label: 'Account', type: 'string' }] }, 'body.authInputs.0.key', '__proto__'],
    ['a trigger "toString"', { triggers: [{ key: 'toString', name: 'Paid', items: ['status'] }] }, 'body.triggers.0.key', 'toString'],
    ['an action input "valueOf"', { actions: [{ key: 'refund', name: 'Refund', inputs: [{ key: 'valueOf', label: 'Amount' }], request: { method: 'POST', url: 'https://pay.example.com/r' } }] }, 'body.actions.0.inputs.0.key', 'valueOf'],
  ])('%s is a 422 at that key saying to choose another', async (_, extra, path, key) => {
    const res = await admin().post('/apps', manifest(extra));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({ path, message: expect.stringMatching(new RegExp(`^"${key}" is a name every JavaScript object already has, .*use another key`)) });
    expect((await admin().get('/apps')).body.apps).toEqual([]);
  });
});

describe('an app registered before those keys were refused', () => {
  it('fires its trigger with the "constructor" item left out (null in $trigger) or sent', async () => {
    // As stored before the rule: straight into the database, the lenient contract it is read with.
    const stored = AppManifest.parse(manifest({
      fields: [{ key: 'constructor', label: 'Builder', type: 'text' }],
      triggers: [{ key: 'paid', name: 'Paid', items: ['constructor'] }],
      actions: [],
    }));
    const { id } = await insertApp(server.store.db, stored, server.app.services.vault.seal(generateSigningSecret()));
    expect((await admin().post(`/apps/${id}/install`, { authValues: {} })).status).toBe(201);
    const key = lastKey(sink);
    const contact = await admin().post('/contacts', { firstName: 'Ada', phone: '+34600111222' });
    const wf = await admin().post('/workflows', {
      name: 'Built', trigger: { type: 'mini_app', appId: id, triggerKey: 'paid' },
      steps: [{ id: 's', type: 'update_contact_field', config: { field: 'builder', value: 'by {{$trigger.constructor}}' } }],
    });
    expect((await admin().put('/fields/builder', { label: 'Builder', type: 'text' })).status).toBeLessThan(300);
    expect((await admin().post(`/workflows/${wf.body.id}/publish`)).status).toBe(200);

    const fire = (items: Record<string, unknown>) => server.api(key).post(`/apps/${id}/triggers/paid`, { contact: { phone: '+34600111222' }, items });
    const left = await fire({});
    expect(left.status, JSON.stringify(left.body)).toBe(202);
    expect((await server.events('mini_app.triggered'))[0]!.payload.items).toEqual({ constructor: null });
    const sent = await fire({ constructor: 'Bob' });
    expect(sent.status).toBe(202);
    await expect.poll(async () => (await admin().get(`/contacts/${contact.body.id}`)).body.fields.builder).toBe('by Bob');
  });
});

// Names and labels are read by the admin on the options page and in error messages: a
// right-to-left override makes one name look like another, a newline or NUL breaks its line.
describe('hidden characters in names and labels', () => {
  it.each([
    ['a right-to-left override in the name', { name: 'Payments\u202eetadpu' }, 'body.name', 'Holds U+202E (a text-direction control), which shows as something else or nothing at all in a one-line name; remove it'],
    ['a newline in a field label', { fields: [{ key: 'status', label: 'Status\nPaid', type: 'text' }] }, 'body.fields.0.label', 'Holds U+000A (a line break), which shows as something else or nothing at all in a one-line name; remove it'],
    ['NUL in a trigger name', { triggers: [{ key: 'paid', name: 'Paid\u0000', items: ['status'] }] }, 'body.triggers.0.name', 'Holds U+0000 (a control character), which shows as something else or nothing at all in a one-line name; remove it'],
    ['an isolate in the description', { description: 'Pays \u2067you\u2069' }, 'body.description', 'Holds U+2067 (a text-direction control), which shows as something else or nothing at all; remove it'],
  ])('%s is a 422 at that place naming the character', async (_, extra, path, message) => {
    const res = await admin().post('/apps', manifest(extra));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({ path, message });
    expect((await admin().get('/apps')).body.apps).toEqual([]);
  });

  it('a description keeps its line breaks and tabs; HTML in a name is kept as text', async () => {
    const res = await admin().post('/apps', manifest({ name: '<b>Pay</b> & "Co"', description: 'Line one\n\tLine two' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.app.manifest).toMatchObject({ name: '<b>Pay</b> & "Co"', description: 'Line one\n\tLine two' });
  });
});
