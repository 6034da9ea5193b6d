import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// A shortcut run fills `$trigger.launchedBy` and `$trigger.launchedByName` itself, after the form's
// values: a form field of that name was overwritten without a word. Publishing refuses the name
// (422 on the field); a draft, or a workflow stored before, still saves and opens as it is.

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ workers: false }); });
afterAll(async () => s?.close());

const shortcut = (variable: string) => ({
  name: 'Delivery ticket',
  trigger: { type: 'shortcut', name: 'Delivery ticket', icon: '🚚', form: { fields: [
    { label: 'Order number', type: 'text', variable: 'order' },
    { label: 'Taken by', type: 'text', variable },
  ] } },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.order}}' } }],
});

describe('a shortcut form field named as a built-in variable', () => {
  it.each([
    ['launchedBy', "the launching agent's user id"],
    ['launchedByName', "the launching agent's name"],
  ])('"%s": the draft saves and reads back, publishing answers 422 on the field', async (variable, holds) => {
    const admin = s.api(s.adminToken);
    const saved = await admin.post('/workflows', shortcut(variable));
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const read = await admin.get(`/workflows/${saved.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.trigger.form.fields[1].variable).toBe(variable);

    const refused = await admin.post(`/workflows/${saved.body.id}/publish`);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    const message = `"${variable}" is taken by the built-in variable {{$trigger.${variable}}} (${holds}): pick another name`;
    expect(refused.body.error.details).toContainEqual({ path: 'trigger.form.fields.1.variable', message });
    // Published at once (status: published) is the same publish.
    const direct = await admin.post('/workflows', { ...shortcut(variable), status: 'published' });
    expect(direct.status, JSON.stringify(direct.body)).toBe(422);
    expect(direct.body.error.details).toContainEqual({ path: 'body.trigger.form.fields.1.variable', message });

    const renamed = await admin.put(`/workflows/${saved.body.id}`, shortcut('taken_by'));
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect((await admin.post(`/workflows/${saved.body.id}/publish`)).status).toBe(200);
  });
});
