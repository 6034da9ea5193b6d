import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isStale } from './objects';
import { htmlToText, stampSeconds } from './payloads';
import { verifyChatwootSignature } from './webhook';

describe('Chatwoot payload helpers', () => {
  it.each([
    ['<p>Regular message</p>\n', 'Regular message'], // spec/presenters/message_content_presenter_spec.rb:13-14
    ['Plain text from an API inbox', 'Plain text from an API inbox'],
    ['<p>Tom &amp; Jerry &lt;b&gt;</p><p>line two<br>three</p>', 'Tom & Jerry <b>\nline two\nthree'],
    ['<p><img src=x onerror=alert(1)></p>', ''],
  ])('htmlToText(%j) = %j', (html, text) => expect(htmlToText(html)).toBe(text));

  it.each([
    [1767089698, 1767089698], [1767089698.412345, 1767089698.412345], [1767089698412, 1767089698.412],
    ['2025-12-30T10:14:58.401Z', 1767089698.401], ['1767089698', 1767089698], [null, null], ['soon', null],
  ])('stampSeconds(%j) = %j', (value, seconds) => expect(stampSeconds(value)).toBe(seconds));

  it.each([
    [undefined, 5, false], [10.5, null, false], [10.5, 10.4, true], [10.5, 10.5, false], [10.5, 10, false], [11.2, 10, true], [10, 10.7, false],
  ])('stored %j, incoming %j: stale %j', (stored, incoming, stale) => expect(isStale(stored, incoming)).toBe(stale));

  it('verifies X-Chatwoot-Signature over "{timestamp}.{raw body}" within five minutes', () => {
    const raw = '{"event":"contact_created","id":1}';
    const sign = (secret: string, ts: number, body = raw) => ({ 'x-chatwoot-timestamp': String(ts), 'x-chatwoot-signature': `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}` });
    const now = 1_800_000_000;
    expect(verifyChatwootSignature('s3cret', raw, sign('s3cret', now), now)).toBeNull();
    expect(verifyChatwootSignature('s3cret', raw, sign('other', now), now)).toMatch(/does not match/);
    expect(verifyChatwootSignature('s3cret', raw, sign('s3cret', now, `${raw} `), now)).toMatch(/does not match/);
    expect(verifyChatwootSignature('s3cret', raw, sign('s3cret', now - 301), now)).toMatch(/5 minutes/);
    expect(verifyChatwootSignature('s3cret', raw, {}, now)).toMatch(/must carry X-Chatwoot-Signature/);
    expect(verifyChatwootSignature('s3cret', raw, { ...sign('s3cret', now), 'x-chatwoot-signature': 'sha256=zz' }, now)).toMatch(/does not match/);
  });
});
