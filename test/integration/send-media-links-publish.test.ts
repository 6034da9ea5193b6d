import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// A Send message step's media link written without variables is the same on every run: one Meta
// cannot fetch (not https) would fail them all, so publishing refuses it (422 naming the field),
// as it refuses literal coordinates out of range. A link made of variables is checked when it runs.

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ workers: false }); });
afterAll(async () => s?.close());

const publish = (config: Record<string, unknown>) => s.api(s.adminToken).post('/workflows', {
  name: 'Send file', trigger: { type: 'manual' }, status: 'published',
  steps: [{ id: 'send', type: 'send_message', config }],
});
const media = (url: string) => ({ kind: 'media', text: 'Your invoice', media: { type: 'document', url } });
const template = (header: Record<string, unknown>) => ({ kind: 'template', template: { name: 'invoice_ready', language: 'en_US', header } });

describe('publishing a Send message step with a media link', () => {
  it.each([
    ['a javascript: link', media('javascript:alert(1)'), 'body.steps.0.config.media.url'],
    ['a plain http link', media('http://files.example.com/invoice.pdf'), 'body.steps.0.config.media.url'],
    ['a template header link that is not https', template({ type: 'image', url: 'ftp://files.example.com/a.png' }), 'body.steps.0.config.template.header.url'],
  ])('refuses %s with 422 naming the field', async (_what, config, path) => {
    const res = await publish(config);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const detail = res.body.error.details.find((d: { path: string }) => d.path === path);
    expect(detail?.message, JSON.stringify(res.body)).toMatch(/is not an https:\/\/ link Meta can fetch/);
  });

  it.each([
    ['an https link', media('https://files.example.com/invoice.pdf')],
    ['a link from a variable (checked when it runs)', media('{{$trigger.invoiceUrl}}')],
    ['an https template header', template({ type: 'document', url: 'https://files.example.com/a.pdf' })],
  ])('publishes %s', async (_what, config) => {
    const res = await publish(config);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('published');
  });

  it('keeps a draft with such a link (drafts may be unfinished)', async () => {
    const res = await s.api(s.adminToken).post('/workflows', { name: 'Draft', trigger: { type: 'manual' }, steps: [{ id: 'send', type: 'send_message', config: media('javascript:alert(1)') }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('draft');
  });
});
