import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// An HTTP request step starts with the URL "https://" so the admin only types the rest; one
// forgotten published and failed on every run ("invalid URL"). Publishing refuses a URL with
// no server, naming the step's URL field and how to write it; a draft still saves, and a URL
// whose server or base comes from a variable publishes.

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ workers: false }); });
afterAll(async () => s?.close());

const definition = (url: string) => ({
  name: 'Book a callback', trigger: { type: 'manual' },
  steps: [{ id: 'crm', type: 'http_request', config: { method: 'POST', url, headers: [], body: '{}', timeoutMs: 10_000, responseMappings: [] } }],
});

describe('publishing an HTTP request step', () => {
  it.each([
    ['https://', 'Enter the address after https:// (e.g. https://api.example.com/orders)'],
    ['http://  ', 'Enter the address after http:// (e.g. https://api.example.com/orders)'],
    ['https://:8080/tickets', '"https://:8080/tickets" is not a complete URL: write the server\'s address after http:// or https:// (e.g. https://api.example.com/orders)'],
  ])('refuses %j with 422 on its URL field; the draft is kept', async (url, message) => {
    const api = s.api(s.adminToken);
    const draft = await api.post('/workflows', definition(url));
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const res = await api.post(`/workflows/${draft.body.id}/publish`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({ path: 'steps.0.config.url', message });
    expect((await api.get(`/workflows/${draft.body.id}`)).body.status).toBe('draft');
  });

  it.each([
    'https://crm.example.com/tickets?contact={{$contact.id}}',
    'https://{{$contact.id}}.example.com/orders',
    '{{$trigger.callbackUrl}}/done',
  ])('publishes %j', async (url) => {
    const api = s.api(s.adminToken);
    const draft = await api.post('/workflows', definition(url));
    const res = await api.post(`/workflows/${draft.body.id}/publish`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
