import { describe, expect, it } from 'vitest';
import { ActionRequest } from '../../lib/contracts/apps';
import { renderActionRequest } from './render-request';
import { retryDelay } from './outbox';

const scope = { auth: { accountId: 'acct 1', baseUrl: 'https://pay.example.com/v1', limit: 5 }, input: { orderId: 'o/1?x', reason: 'Said "no"\nthen left' } };

describe('renderActionRequest', () => {
  it('fills url, headers and a JSON body, keeping single-placeholder types', () => {
    const request = ActionRequest.parse({
      method: 'POST',
      url: '{{auth.baseUrl}}/orders/{{input.orderId}}/refunds',
      headers: { 'X-Account': '{{auth.accountId}}', 'X-Reason': '{{input.reason}}' },
      body: { account: '{{auth.accountId}}', limit: '{{auth.limit}}', note: 'Order {{input.orderId}}: {{input.reason}}', list: ['{{input.orderId}}', 3], missing: '{{input.other}}' },
    });
    const r = renderActionRequest(request, scope);
    expect(r.url).toBe('https://pay.example.com/v1/orders/o%2F1%3Fx/refunds');
    expect(r.headers).toEqual({ 'x-account': 'acct 1', 'x-reason': 'Said "no" then left' });
    expect(JSON.parse(r.body!)).toEqual({
      account: 'acct 1', limit: 5, note: 'Order o/1?x: Said "no"\nthen left', list: ['o/1?x', 3], missing: null,
    });
    expect(r.missing).toEqual(['{{input.other}}']);
  });

  it('sends no body when the action has none', () => {
    const r = renderActionRequest(ActionRequest.parse({ method: 'GET', url: 'https://x.test/a?b={{input.orderId}}' }), scope);
    expect(r.body).toBeUndefined();
    expect(r.url).toBe('https://x.test/a?b=o%2F1%3Fx');
  });
});

describe('outbox retryDelay', () => {
  it.each([[1, 1000], [2, 2000], [3, 4000], [9, 256_000], [10, 300_000], [40, 300_000]])('after %i failures waits %i ms', (n, ms) => {
    expect(retryDelay(n, { baseDelayMs: 1000, maxDelayMs: 300_000 })).toBe(ms);
  });
});
