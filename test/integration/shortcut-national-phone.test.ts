import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { LaunchResult, ShortcutList } from '../../lib/contracts/shortcuts';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, makeContact, openFor, parseRun, shortcutWorkflow } from './engine-support';

// A shortcut form's phone field on the server, with the workspace's default country: a national
// number ("(11) 91234-5678" in Brazil) is launched in E.164, read as webhooks, the CSV import and
// question answers read it; the shortcut list tells the extension the country, so its own check agrees.

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => { await server.close(); });

const admin = () => server.api(server.adminToken);

async function setup() {
  const wf = await createWorkflow(server, shortcutWorkflow({
    name: 'Callback',
    trigger: { type: 'shortcut', name: 'Schedule callback', icon: '📞', form: { fields: [{ label: 'Phone', type: 'phone', variable: 'phone', required: true }] } },
  }));
  const { token } = await server.createUser('agent');
  const conversation = await openFor(server, (await makeContact(server)).id);
  const launch = (phone: string) => server.api(token).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values: { phone } });
  return { token, launch };
}

describe('a shortcut\'s phone field and the workspace\'s default country', () => {
  it('lists the default country with the shortcuts (null until one is set)', async () => {
    const { token } = await setup();
    expect(ShortcutList.parse((await server.api(token).get('/shortcuts')).body).defaultCountry).toBeNull();
    expect((await admin().put('/settings/default-country', { country: 'BR' })).status).toBe(200);
    expect(ShortcutList.parse((await server.api(token).get('/shortcuts')).body).defaultCountry).toBe('BR');
  });

  it.each([
    ['(11) 91234-5678', '+5511912345678'],
    ['11 91234 5678', '+5511912345678'],
    ['+55 11 91234-5678', '+5511912345678'],
    ['+49 151 1234 5678', '+4915112345678'],
  ])('launches %j as %s with the workspace in BR', async (typed, e164) => {
    await admin().put('/settings/default-country', { country: 'BR' });
    const { launch } = await setup();
    const res = await launch(typed);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = parseRun((await admin().get(`/runs/${LaunchResult.parse(res.body).runId}`)).body);
    expect(run.variables).toMatchObject({ trigger: { phone: e164 } });
  });

  it('refuses a number that is not Brazilian either with a 422 naming the field and the country', async () => {
    await admin().put('/settings/default-country', { country: 'BR' });
    const { launch } = await setup();
    const res = await launch('(11) 1234');
    expect(res.status).toBe(422);
    const [detail] = ErrorBody.parse(res.body).error.details ?? [];
    expect(detail).toMatchObject({ path: 'values.phone', message: expect.stringContaining('it is not a valid BR number either') });
  });

  it('still asks for + and the country code when no default country is set', async () => {
    const { launch } = await setup();
    const res = await launch('(11) 91234-5678');
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(res.body).error.details?.[0]?.message).toMatch(/^Start with \+ and the country code/);
  });
});
