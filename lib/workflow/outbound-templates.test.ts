import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderActionRequest } from '../../server/apps/render-request';
import { cleanHeaderValue } from './outbound-templates';
import { renderUrl } from './template';

// Issue 14: a value rendered into a URL is data inside the component the admin wrote it in.
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
// Values built from the characters that matter to a URL, so the interesting cases come often.
const urlish = fc.array(fc.constantFrom('/', '.', '..', '?', '#', '&', '=', '%', '%2e', '%2F', '\\', ' ', '+', ';', '@', ':', 'a', 'é', '\n', '\t'), { maxLength: 8 }).map((p) => p.join(''));
const value = fc.oneof(anyText, urlish);

const scopeOf = (v: string) => ({ trigger: { v } });
const TEMPLATE = 'https://api.example.com/orders/{{$trigger.v}}/items?q={{$trigger.v}}&r=1#s-{{$trigger.v}}';

describe('renderUrl (http_request URLs)', () => {
  it('keeps every value inside its path segment, query value and fragment', () => {
    fc.assert(fc.property(value, (v) => {
      const r = renderUrl(TEMPLATE, scopeOf(v));
      const expected = v.toWellFormed();
      if (r.refused) {
        // Only a value that is itself a dot segment is refused.
        expect(['.', '..']).toContain(decodeURIComponent(encodeURIComponent(expected)));
        return;
      }
      const url = new URL(r.text);
      expect(url.origin).toBe('https://api.example.com');
      const segments = url.pathname.split('/');
      expect(segments).toHaveLength(4);
      expect(segments[1]).toBe('orders');
      expect(decodeURIComponent(segments[2]!)).toBe(expected);
      expect(segments[3]).toBe('items');
      expect([...url.searchParams.keys()]).toEqual(['q', 'r']);
      expect(url.searchParams.get('q')).toBe(expected);
      expect(url.searchParams.get('r')).toBe('1');
      expect(decodeURIComponent(url.hash)).toBe(`#s-${expected}`);
    }), { numRuns: 2000 });
  });

  it.each(['.', '..'])('refuses a value %j that would make a whole path segment a dot segment', (v) => {
    expect(renderUrl('https://api.example.com/a/{{$trigger.v}}/b', scopeOf(v)).refused).toMatch(/path segment/);
  });

  it.each(['%2e%2E', '.%2e'])('carries %j as text: its percent sign is encoded, so it is no dot segment', (v) => {
    const r = renderUrl('https://api.example.com/a/{{$trigger.v}}/b', scopeOf(v));
    expect(r.refused).toBeUndefined();
    expect(new URL(r.text).pathname).toBe(`/a/${encodeURIComponent(v)}/b`);
  });

  it('does not refuse dots that are part of a segment, nor in a query value', () => {
    expect(renderUrl('https://x.example/files/{{$trigger.v}}.json?p={{$trigger.v}}', scopeOf('..'))).toEqual({ text: 'https://x.example/files/...json?p=..', unknown: [] });
  });

  it('two placeholders in one segment are checked together', () => {
    expect(renderUrl('https://x.example/{{$trigger.a}}{{$trigger.b}}/z', { trigger: { a: '.', b: '.' } }).refused).toBeDefined();
  });

  it('takes a placeholder that opens the URL as the base URL the admin chose', () => {
    const r = renderUrl('{{$trigger.base}}/orders/{{$trigger.id}}', { trigger: { base: 'https://api.example.com/v2', id: 'a/b' } });
    expect(r.text).toBe('https://api.example.com/v2/orders/a%2Fb');
  });

  it('notes unknown variables', () => {
    expect(renderUrl('https://x.example/{{$trigger.nope}}', {}).unknown).toEqual(['$trigger.nope']);
  });
});

describe('mini-app action URLs follow the same rule', () => {
  it('encodes inputs per component', () => {
    fc.assert(fc.property(value, (v) => {
      const r = renderActionRequest({ method: 'GET', url: '{{auth.base}}/charges/{{input.id}}?ref={{input.id}}', headers: {} } as never, { auth: { base: 'https://pay.example.com' }, input: { id: v } });
      if (r.refused) return;
      const url = new URL(r.url);
      expect(url.pathname.split('/')).toHaveLength(3);
      expect([...url.searchParams.keys()]).toEqual(['ref']);
      expect(url.searchParams.get('ref')).toBe(v.toWellFormed());
    }), { numRuns: 500 });
  });
});

describe('cleanHeaderValue', () => {
  it('never leaves a control character, and keeps clean values as they are', () => {
    fc.assert(fc.property(anyText, (v) => {
      const { value: out, cleaned } = cleanHeaderValue(v);
      expect(/[\u0000-\u001f\u007f]/.test(out)).toBe(false);
      expect(cleaned).toBe(/[\u0000-\u001f\u007f]/.test(v));
      if (!cleaned) expect(out).toBe(v);
    }), { numRuns: 2000 });
  });
});
