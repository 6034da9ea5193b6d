import { describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ErrorBody } from '../../lib/contracts/errors';
import { FireTriggerResult } from '../../lib/contracts/apps';
import type { TestServer } from '../support/server';
import type { PaymentApp } from '../../examples/payment-app/server';
import { eachPaymentsWorld, registerAndInstallPayments } from './apps-support';
import { createWorkflow } from './engine-support';

// A workflow started from outside names its contact as the contacts API does: "Send sub flow"
// (POST /workflows/:id/start) and an app's Fire Trigger take { contact: { phone } } typed without
// the country code when the workspace has a default country, and say which country was assumed
// when the number is not one of its numbers either. Over real HTTP, the example app on its port.

let server: TestServer;
let payments: PaymentApp;
eachPaymentsWorld((w) => { server = w.server; payments = w.payments; });

const admin = () => server.api(server.adminToken);
const inCountry = async (country: string | null) => expect((await admin().put('/settings/default-country', { country })).status).toBe(200);
const runOf = async (id: string) => (await admin().get(`/runs/${id}`)).body as { contactId: string };

describe('workflow starts naming the contact by a national phone number', () => {
  it('POST /workflows/:id/start finds "06 12 34 56 78" with the workspace in FR; without a country it still needs +; "06 12" names FR', async () => {
    const ana = Contact.parse((await admin().post('/contacts', { firstName: 'Ana', phone: '+33 6 12 34 56 78' })).body);
    const wf = await createWorkflow(server, { name: 'Sub flow', trigger: { type: 'manual' }, steps: [{ id: 'note', type: 'add_comment', config: { text: 'hi' } }] });
    const start = (phone: string) => admin().post(`/workflows/${wf.id}/start`, { contact: { phone }, variables: { orderId: 'A1' } });

    const none = await start('06 12 34 56 78');
    expect(none.status).toBe(422);
    expect(ErrorBody.parse(none.body).error.details).toEqual([{ path: 'body.contact.phone', message: expect.stringMatching(/^Start with \+ and the country code/) }]);

    await inCountry('FR');
    const res = await start('06 12 34 56 78');
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const { runIds } = FireTriggerResult.parse(res.body);
    expect(runIds).toHaveLength(1);
    expect((await runOf(runIds[0]!)).contactId).toBe(ana.id);

    const short = await start('06 12');
    expect(short.status).toBe(422);
    expect(ErrorBody.parse(short.body).error.details).toEqual([{ path: 'body.contact.phone', message: expect.stringMatching(/^"06 12" is not a phone number: .*not a valid FR number either \(the workspace's default country\)$/) }]);
  });

  it('an app fires its trigger for "(415) 555-0111" with the workspace in the US', async () => {
    const { appId, key } = await registerAndInstallPayments(server, payments);
    const grace = Contact.parse((await admin().post('/contacts', { firstName: 'Grace', phone: '+14155550111' })).body);
    await createWorkflow(server, { name: 'Paid', trigger: { type: 'mini_app', appId, triggerKey: 'payment_paid' }, steps: [{ id: 'note', type: 'add_comment', config: { text: 'paid' } }] });
    await inCountry('US');
    const fired = await server.api(key).post(`/apps/${appId}/triggers/payment_paid`, {
      contact: { phone: '(415) 555-0111' }, items: { status: 'paid', amount: 10, order: { id: 'ord_7', total: 10 } },
    });
    expect(fired.status, JSON.stringify(fired.body)).toBe(202);
    const { runIds } = FireTriggerResult.parse(fired.body);
    expect(runIds).toHaveLength(1);
    expect((await runOf(runIds[0]!)).contactId).toBe(grace.id);
  });
});
