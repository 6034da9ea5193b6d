import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSigningSecret, signHeaders, verifyMetaSignature, verifySignature } from './standard-webhooks';

const body = JSON.stringify({ workspaceId: 'w1', installationId: 'i1' });

describe('Standard Webhooks', () => {
  it('generates whsec_ secrets of 32 random bytes', () => {
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(a.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(a);
  });

  it('round-trips, with headers in any case and the body as a Buffer', () => {
    const secret = generateSigningSecret();
    const headers = signHeaders(secret, { id: 'msg_1', timestamp: new Date(), body });
    expect(headers['webhook-signature']).toMatch(/^v1,/);
    expect(verifySignature(secret, headers, body)).toEqual({ ok: true, id: 'msg_1' });
    const shouted = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifySignature(secret, shouted, Buffer.from(body))).toEqual({ ok: true, id: 'msg_1' });
  });

  it('accepts one of several signatures (secret rotation)', () => {
    const [oldSecret, newSecret] = [generateSigningSecret(), generateSigningSecret()];
    const message = { id: 'msg_2', timestamp: new Date(), body };
    const a = signHeaders(oldSecret, message);
    const b = signHeaders(newSecret, message);
    const both = { ...a, 'webhook-signature': [a['webhook-signature'], b['webhook-signature']] };
    expect(verifySignature(newSecret, both, body).ok).toBe(true);
  });

  const secret = generateSigningSecret();
  const fresh = signHeaders(secret, { id: 'msg_3', timestamp: new Date(), body });
  it.each([
    { name: 'tampered body', verifyWith: secret, headers: fresh, raw: body.replace('w1', 'w2'), reason: /no matching signature/i },
    { name: 'wrong secret', verifyWith: generateSigningSecret(), headers: fresh, raw: body, reason: /no matching signature/i },
    { name: 'tampered id', verifyWith: secret, headers: { ...fresh, 'webhook-id': 'msg_x' }, raw: body, reason: /no matching signature/i },
    {
      name: 'timestamp older than 5 minutes',
      verifyWith: secret,
      headers: signHeaders(secret, { id: 'msg_4', timestamp: new Date(Date.now() - 6 * 60_000), body }),
      raw: body,
      reason: /too old/i,
    },
    {
      name: 'timestamp more than 5 minutes ahead',
      verifyWith: secret,
      headers: signHeaders(secret, { id: 'msg_5', timestamp: new Date(Date.now() + 6 * 60_000), body }),
      raw: body,
      reason: /too new/i,
    },
    { name: 'missing signature', verifyWith: secret, headers: { ...fresh, 'webhook-signature': undefined }, raw: body, reason: /missing/ },
    { name: 'no headers', verifyWith: secret, headers: {}, raw: body, reason: /missing/ },
    { name: 'garbage timestamp', verifyWith: secret, headers: { ...fresh, 'webhook-timestamp': 'soon' }, raw: body, reason: /invalid/i },
  ])('fails on $name', ({ verifyWith, headers, raw, reason }) => {
    const result = verifySignature(verifyWith, headers, raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('verifies the bytes as sent: a latin1 body signed by its sender, and the package\'s own signatures', () => {
    const bytes = Buffer.from('{"name":"Jos\xe9"}', 'latin1');
    const ts = Math.floor(Date.now() / 1000);
    // The sender's HMAC over its own bytes (the package itself would sign their UTF-8 reading).
    const mac = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`msg_7.${ts}.`).update(bytes).digest('base64');
    const headers = { 'webhook-id': 'msg_7', 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${mac}` };
    expect(verifySignature(secret, headers, bytes)).toEqual({ ok: true, id: 'msg_7' });
    expect(verifySignature(secret, headers, bytes.toString('latin1')).ok).toBe(false);
    const signed = new Webhook(secret).sign('msg_8', new Date(), body);
    expect(verifySignature(secret, { 'webhook-id': 'msg_8', 'webhook-timestamp': String(ts), 'webhook-signature': `v2,x ${signed}` }, body).ok).toBe(true);
  });

  it.each(['whsec_abc', 'whsec_ab=c', 'whsec_'])('says a secret the package could not decode (%s) is unusable', (bad) => {
    const result = verifySignature(bad, fresh, body);
    expect(!result.ok && result.reason).toMatch(/^unusable signing secret/);
  });

  it('still verifies a message signed 4 minutes ago', () => {
    const headers = signHeaders(secret, { id: 'msg_6', timestamp: new Date(Date.now() - 4 * 60_000), body });
    expect(verifySignature(secret, headers, body).ok).toBe(true);
  });
});

describe('verifyMetaSignature', () => {
  const appSecret = 'meta-app-secret';
  const raw = '{"object":"whatsapp_business_account","entry":[]}';
  const good = `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;

  it.each([
    { name: 'right signature', header: good, rawBody: raw, expected: true },
    { name: 'right signature, Buffer body', header: good, rawBody: Buffer.from(raw), expected: true },
    { name: 'upper-case hex', header: `sha256=${good.slice('sha256='.length).toUpperCase()}`, rawBody: raw, expected: true },
    { name: 'tampered body', header: good, rawBody: raw.replace('[]', '[{}]'), expected: false },
    { name: 'wrong secret', header: `sha256=${createHmac('sha256', 'other').update(raw).digest('hex')}`, rawBody: raw, expected: false },
    { name: 'missing header', header: undefined, rawBody: raw, expected: false },
    { name: 'empty header', header: '', rawBody: raw, expected: false },
    { name: 'sha1 prefix', header: good.replace('sha256=', 'sha1='), rawBody: raw, expected: false },
    { name: 'truncated hex', header: good.slice(0, -2), rawBody: raw, expected: false },
    { name: 'not hex', header: `sha256=${'z'.repeat(64)}`, rawBody: raw, expected: false },
  ])('$name → $expected', ({ header, rawBody, expected }) => {
    expect(verifyMetaSignature(appSecret, rawBody, header)).toBe(expected);
  });

  it('refuses everything when no app secret is configured', () => {
    expect(verifyMetaSignature('', raw, good)).toBe(false);
  });
});
