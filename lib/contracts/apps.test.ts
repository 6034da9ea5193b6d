import { describe, expect, it } from 'vitest';
import manifestJson from '../../examples/payment-app/manifest.json';
import { AppManifest, authValuesSchema, ContactRef, triggerItemsSchema } from './apps';

const base = () => structuredClone(manifestJson) as any;
const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('AppManifest', () => {
  it('accepts the example payment app', () => {
    expect(messages(AppManifest.safeParse(base()))).toEqual([]);
  });

  it('names the trigger item that is not a field, and lists the fields that exist', () => {
    const m = base();
    m.triggers[0].items.push('currency');
    const msgs = messages(AppManifest.safeParse(m));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toContain('triggers.0.items.3');
    expect(msgs[0]).toContain('"currency"');
    expect(msgs[0]).toContain('"status", "amount", "order"');
  });

  it.each([
    ['duplicate field keys', (m: any) => m.fields.push({ key: 'amount', label: 'Again', type: 'number' }), 'Field "amount" is used twice'],
    ['duplicate trigger keys', (m: any) => m.triggers.push({ ...m.triggers[0] }), 'Trigger "payment_paid" is used twice'],
    ['an unknown scope', (m: any) => m.scopes.push('admin.everything'), 'scopes.2'],
    ['a non-https logo', (m: any) => { m.logoUrl = 'http://example.com/logo.png'; }, 'https'],
    ['an unknown auth placeholder', (m: any) => { m.actions[0].request.headers['x-key'] = '{{auth.secret}}'; }, '{{auth.secret}} names no auth input'],
    ['an unknown input placeholder', (m: any) => { m.actions[0].request.body.extra = '{{input.nope}}'; }, 'actions.0.request.body.extra'],
    ['a workflow placeholder in a request', (m: any) => { m.actions[0].request.url = 'https://x.test/{{$contact.id}}'; }, 'not a placeholder of a packaged request'],
    ['a bad key slug', (m: any) => { m.key = 'Pay Ments'; }, 'slug'],
  ])('refuses %s', (_name, change, expected) => {
    const m = base();
    change(m);
    expect(messages(AppManifest.safeParse(m)).join('\n')).toContain(expected);
  });
});

describe('authValuesSchema', () => {
  const schema = authValuesSchema([
    { key: 'accountId', label: 'Account', type: 'string', required: true, maxLength: 5 },
    { key: 'sandbox', label: 'Sandbox', type: 'checkbox', required: false },
    { key: 'limit', label: 'Limit', type: 'number', required: false },
  ]);
  it.each([
    [{ accountId: 'ab' }, []],
    [{}, ['accountId: Account is required']],
    [{ accountId: 'abcdef' }, ['accountId: Account has at most 5 characters']],
    [{ accountId: 'a', limit: 'x' }, ['limit: Limit must be a number']],
    [{ accountId: 'a', other: 1 }, ['Unknown auth input(s): other']],
  ])('%j -> %j', (values, expected) => {
    const r = schema.safeParse(values);
    expect(r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message].filter(Boolean).join(': '))).toEqual(expected);
  });
});

describe('triggerItemsSchema', () => {
  const m = AppManifest.parse(base());
  const schema = triggerItemsSchema(m.triggers[0]!, m.fields);
  it('takes typed items, and a json item holding many values', () => {
    expect(schema.parse({ status: 'paid', amount: 12.5, order: { id: 'o1', total: 12.5, lines: [{ sku: 'a' }] } }))
      .toEqual({ status: 'paid', amount: 12.5, order: { id: 'o1', total: 12.5, lines: [{ sku: 'a' }] } });
  });
  it.each([
    [{ amount: '12' }, 'amount must be a number'],
    [{ currency: 'EUR' }, 'has no item(s) currency'],
  ])('refuses %j', (items, expected) => {
    const r = schema.safeParse(items);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join('\n')).toContain(expected);
  });
  it('checks dates and date-times', () => {
    const s = triggerItemsSchema({ key: 't', name: 'T', items: ['d', 'dt'] }, [
      { key: 'd', label: 'D', type: 'date' }, { key: 'dt', label: 'DT', type: 'datetime' },
    ]);
    expect(s.safeParse({ d: '2025-01-31', dt: '2025-01-31T10:00:00Z' }).success).toBe(true);
    expect(s.safeParse({ d: '31/01/2025' }).success).toBe(false);
    expect(s.safeParse({ dt: 'yesterday' }).success).toBe(false);
  });
});

describe('ContactRef', () => {
  it.each([
    [{ id: 'ct_1' }, true], [{ phone: '+14155550123' }, true], [{ email: 'A@B.co' }, true],
    [{ phone: '0415' }, false], [{ id: 'x', phone: '+14155550123' }, false], [{}, false],
  ])('%j -> %s', (value, ok) => expect(ContactRef.safeParse(value).success).toBe(ok));
});
