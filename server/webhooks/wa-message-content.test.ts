import { describe, expect, it } from 'vitest';
import { flowAnswer, orderContent, reactionText, sharedContacts, unsupportedText } from './wa-message-content';
import { oncePerMinute } from './once-a-minute';

describe('what the agent reads of WhatsApp content', () => {
  it.each([
    ['fields in order, flow_token left out', { name: 'flow', body: 'Sent', response_json: '{"flow_token":"t","size":"M","qty":2}' }, 'Flow answer: size: M, qty: 2', { size: 'M', qty: 2 }],
    ['a list and an object as text', { name: 'flow', response_json: '{"toppings":["ham","egg"],"slot":{"day":"Mon"}}' }, 'Flow answer: toppings: ham, egg, slot: {"day":"Mon"}', { toppings: 'ham, egg', slot: '{"day":"Mon"}' }],
    ['not JSON: Meta’s body', { name: 'flow', body: 'Sent', response_json: '{oops' }, 'Flow answer: Sent', {}],
    ['an address form', { name: 'address_message', response_json: '{"city":"Lisbon"}' }, 'Address: city: Lisbon', { city: 'Lisbon' }],
  ])('a flow answer: %s', (_n, reply, text, fields) => {
    const c = flowAnswer(reply);
    expect(c.text).toBe(text);
    expect(c.data).toMatchObject({ type: 'flow_response', fields });
  });

  it('a contact card with parts missing still says what there is', () => {
    const c = sharedContacts([{ name: { first_name: 'Rui' }, phones: [{ wa_id: '351912345678' }, { type: 'HOME' }] }, {}]);
    expect(c.text).toBe('Shared contact: Rui\nPhone: +351912345678 (WhatsApp 351912345678)\n\nShared contact: unnamed');
  });

  it('an order without prices or text', () => {
    expect(orderContent({ product_items: [{ product_retailer_id: 'sku-1', quantity: '3' }] }).text).toBe('Order: 3 × sku-1');
  });

  it.each([
    ['poll_creation', undefined, 'The customer sent a poll, a message type WhatsApp does not deliver to the API: ask them to send it as text'],
    ['something_new', undefined, 'The customer sent "something_new", a message type WhatsApp does not deliver to the API: ask them to send it as text'],
    [undefined, undefined, 'The customer sent a message type WhatsApp does not deliver to the API (e.g. a poll or an edit): ask them to send it as text'],
    [undefined, { code: 131060 }, 'The customer sent a message WhatsApp has not made available to the API yet ("This message is currently unavailable"): ask them to send it again'],
  ])('unsupported %s', (type, error, text) => {
    expect(unsupportedText(type, error)).toBe(text);
  });

  it('a reaction quotes the message, short and on one line', () => {
    expect(reactionText('👍', `Your order\nships ${'today '.repeat(20)}`)).toMatch(/^Reacted 👍 to: “Your order ships today today .{40,}…”$/);
    expect(reactionText(null, null)).toBe('Removed a reaction from: a message');
  });
});

describe('oncePerMinute', () => {
  it('says yes once per key and clock minute', () => {
    let now = 60_000 * 100 + 5;
    const first = oncePerMinute(() => now);
    expect([first('a'), first('a'), first('b')]).toEqual([true, false, true]);
    now += 60_000;
    expect([first('a'), first('a')]).toEqual([true, false]);
  });
});
