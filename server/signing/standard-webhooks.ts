import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export type SignedHeaders = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;
export type VerifyResult = { ok: true; id: string } | { ok: false; reason: string };
/** Node's IncomingHttpHeaders fits here, as does a plain record. */
export type HeaderBag = Record<string, string | string[] | undefined>;

const SECRET_PREFIX = 'whsec_';

/** 'whsec_' + base64 of 32 random bytes (the spec asks for 24 to 64). */
export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * Several secrets (the current one first, then one being rotated out) give one signature each in
 * one header, `v1,<a> v1,<b>`, as the spec allows: a receiver accepts the request if any matches.
 */
export function signHeaders(secrets: string | readonly string[], message: { id: string; timestamp: Date; body: string }): SignedHeaders {
  const signature = (typeof secrets === 'string' ? [secrets] : secrets)
    .map((secret) => new Webhook(secret).sign(message.id, message.timestamp, message.body)).join(' ');
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

const TOLERANCE_SECONDS = 5 * 60;

/**
 * Checks a Standard Webhooks signature over the raw body (as received, before any JSON parse),
 * timestamps more than 5 minutes away from now refused, as the package does. The HMAC is
 * node:crypto's over the body's bytes: the package turns a Buffer into UTF-8 text before
 * signing, so a body sent in latin1 or UTF-16 could never verify. Reasons are worded as the package's.
 */
export function verifySignature(secret: string, headers: HeaderBag, rawBody: string | Buffer): VerifyResult {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  }
  let key: Buffer;
  try {
    key = signingKey(secret);
  } catch (err) {
    return { ok: false, reason: `unusable signing secret: ${(err as Error).message}` };
  }
  const seconds = parseInt(timestamp, 10);
  if (Number.isNaN(seconds)) return { ok: false, reason: 'Invalid Signature Headers' };
  const now = Math.floor(Date.now() / 1000);
  if (now - seconds > TOLERANCE_SECONDS) return { ok: false, reason: 'Message timestamp too old' };
  if (seconds > now + TOLERANCE_SECONDS) return { ok: false, reason: 'Message timestamp too new' };
  const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${seconds}.`).update(rawBody).digest('base64'));
  for (const versioned of signature.split(' ')) {
    const [version, given] = versioned.split(',');
    if (version !== 'v1' || given === undefined) continue;
    const bytes = Buffer.from(given);
    if (bytes.length === expected.length && timingSafeEqual(bytes, expected)) return { ok: true, id };
  }
  return { ok: false, reason: 'No matching signature found' };
}

/** The HMAC key of a `whsec_` secret: padded base64, strictly, as the package decodes it. */
function signingKey(secret: string): Buffer {
  const base64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new Error('it is not padded base64 after whsec_');
  const key = Buffer.from(base64, 'base64');
  if (key.length === 0) throw new Error('it is empty');
  return key;
}

/** Header values by case-insensitive name; repeated signature headers are joined like a list. */
function header(headers: HeaderBag, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

const META_SIGNATURE = /^sha256=\s*([0-9a-fA-F]{64})\s*$/;

/** Whether a header value has the shape of Meta's signature (checked before a body is read). */
export const looksLikeMetaSignature = (headerValue: unknown): headerValue is string =>
  typeof headerValue === 'string' && META_SIGNATURE.test(headerValue);

/** Meta (WhatsApp Cloud API) `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
export function verifyMetaSignature(appSecret: string, rawBody: Buffer | string, headerValue: string | undefined): boolean {
  const hex = appSecret && headerValue !== undefined ? META_SIGNATURE.exec(headerValue)?.[1] : undefined;
  if (!hex) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}
