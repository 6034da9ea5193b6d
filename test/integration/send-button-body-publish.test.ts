import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textTooLong } from '../../server/channels/send-spec';
import { startTestServer, type TestServer } from '../support/server';

// WhatsApp refuses a reply-button body over 1,024 characters (Meta's interactive reply buttons
// page: body `text` "Maximum 1024 characters"). A Send message step with buttons whose body no
// run could send is refused when published, naming the step and field, in the words a run would
// fail with; a body made long only by its variables is checked when it is sent. Drafts and
// workflows stored before keep loading.

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ workers: false }); });
afterAll(async () => s?.close());

const x = (n: number) => 'x'.repeat(n);
const buttons = (text: string) => ({ kind: 'buttons', text, buttons: [{ title: 'Yes' }, { title: 'No' }] });
const definition = (text: string) => ({
  name: 'Rate us', trigger: { type: 'manual' },
  steps: [{ id: 'hello', type: 'send_message', config: { text: 'Hi' } }, { id: 'ask-rating', type: 'send_message', config: buttons(text) }],
});
const refusal = (length: number) => `WhatsApp reply-button messages can be at most 1,024 characters (step 2 ("ask-rating") has ${length.toLocaleString('en-US')}): shorten it`;

describe('publishing a Send message step with reply buttons', () => {
  it('refuses a body over 1,024 characters with 422 naming the step and its Message field; the draft is kept and still loads', async () => {
    const api = s.api(s.adminToken);
    const draft = await api.post('/workflows', definition(x(1500)));
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const res = await api.post(`/workflows/${draft.body.id}/publish`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({ path: 'steps.1.config.text', message: refusal(1500) });
    // The words of the refusal a run would meet on WhatsApp (send-spec.ts), the step named instead of "this one".
    expect(refusal(1500).replace('step 2 ("ask-rating")', 'this one')).toBe(textTooLong('whatsapp', { kind: 'buttons', text: x(1500) }, 'this one'));

    const loaded = await api.get(`/workflows/${draft.body.id}`);
    expect(loaded.status).toBe(200);
    expect(loaded.body.status).toBe('draft');
    expect(loaded.body.steps[1].config.text).toHaveLength(1500);
  });

  it('a workflow published over the limit before this check still loads, listed and opened', async () => {
    const api = s.api(s.adminToken);
    const created = await api.post('/workflows', definition(x(2000)));
    await s.store.db.updateTable('workflows').set({ status: 'published' }).where('id', '=', created.body.id).execute();
    const loaded = await api.get(`/workflows/${created.body.id}`);
    expect(loaded.status, JSON.stringify(loaded.body)).toBe(200);
    expect(loaded.body.status).toBe('published');
    const list = await api.get('/workflows');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.workflows.map((w: { id: string }) => w.id)).toContain(created.body.id);
  });

  it('refuses it on a create that publishes at once', async () => {
    const res = await s.api(s.adminToken).post('/workflows', { ...definition(x(1025)), status: 'published' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({ path: 'body.steps.1.config.text', message: refusal(1025) });
  });

  it('refuses a body whose text besides its variables is already too long', async () => {
    const res = await s.api(s.adminToken).post('/workflows', { ...definition(`Hi {{$contact.firstName}}, ${x(1100)}`), status: 'published' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({
      path: 'body.steps.1.config.text',
      message: 'WhatsApp reply-button messages can be at most 1,024 characters (step 2 ("ask-rating") with its variables empty has 1,105): shorten it',
    });
  });

  it.each([
    ['a body of 1,024 characters', x(1024)],
    ['a body that only its variables could make too long (checked when sent)', `${x(1000)} {{$contact.lastName}}`],
  ])('publishes %s', async (_what, text) => {
    const res = await s.api(s.adminToken).post('/workflows', { ...definition(text), status: 'published' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('published');
  });
});
