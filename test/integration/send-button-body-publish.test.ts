import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// WhatsApp refuses a reply-button body over 1,024 characters (Meta's interactive reply buttons
// page: body `text` "Maximum 1024 characters"), Messenger quick replies' text over 2,000. With no
// channel connected yet, a Send message step with buttons whose body neither could send is
// refused when published, naming the step and field and each channel's limit; a body made long
// only by its variables is checked when it is sent. Drafts and workflows stored before keep
// loading. Per connected channel: channels/button-text-limits.test.ts.

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ workers: false }); });
afterAll(async () => s?.close());

const x = (n: number) => 'x'.repeat(n);
const buttons = (text: string) => ({ kind: 'buttons', text, buttons: [{ title: 'Yes' }, { title: 'No' }] });
const definition = (text: string) => ({
  name: 'Rate us', trigger: { type: 'manual' },
  steps: [{ id: 'hello', type: 'send_message', config: { text: 'Hi' } }, { id: 'ask-rating', type: 'send_message', config: buttons(text) }],
});
const LIMITS = 'Messages with reply buttons can be at most 1,024 characters on WhatsApp and 2,000 on Messenger (quick replies)';
const refusal = (length: number) => `${LIMITS} (step 2 ("ask-rating") has ${length.toLocaleString('en-US')}): no channel could send it; shorten it`;

describe('publishing a Send message step with reply buttons', () => {
  it('refuses a body over 2,000 characters with 422 naming the step and its Message field; the draft is kept and still loads', async () => {
    const api = s.api(s.adminToken);
    const draft = await api.post('/workflows', definition(x(2500)));
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const res = await api.post(`/workflows/${draft.body.id}/publish`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({ path: 'steps.1.config.text', message: refusal(2500) });

    const loaded = await api.get(`/workflows/${draft.body.id}`);
    expect(loaded.status).toBe(200);
    expect(loaded.body.status).toBe('draft');
    expect(loaded.body.steps[1].config.text).toHaveLength(2500);
  });

  it('a workflow published over the limit before this check still loads, listed and opened', async () => {
    const api = s.api(s.adminToken);
    const created = await api.post('/workflows', definition(x(3000)));
    await s.store.db.updateTable('workflows').set({ status: 'published' }).where('id', '=', created.body.id).execute();
    const loaded = await api.get(`/workflows/${created.body.id}`);
    expect(loaded.status, JSON.stringify(loaded.body)).toBe(200);
    expect(loaded.body.status).toBe('published');
    const list = await api.get('/workflows');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.workflows.map((w: { id: string }) => w.id)).toContain(created.body.id);
  });

  it('refuses it on a create that publishes at once', async () => {
    const res = await s.api(s.adminToken).post('/workflows', { ...definition(x(2001)), status: 'published' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({ path: 'body.steps.1.config.text', message: refusal(2001) });
  });

  it('refuses a body whose text besides its variables is already too long', async () => {
    const res = await s.api(s.adminToken).post('/workflows', { ...definition(`Hi {{$contact.firstName}}, ${x(2100)}`), status: 'published' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({
      path: 'body.steps.1.config.text',
      message: `${LIMITS} (step 2 ("ask-rating") with its variables empty has 2,105): no channel could send it; shorten it`,
    });
  });

  it.each([
    ['a body of 2,000 characters (Messenger takes it; on WhatsApp the step would fail saying so)', x(2000)],
    ['a body that only its variables could make too long (checked when sent)', `${x(1990)} {{$contact.lastName}}`],
  ])('publishes %s', async (_what, text) => {
    const res = await s.api(s.adminToken).post('/workflows', { ...definition(text), status: 'published' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('published');
  });
});
