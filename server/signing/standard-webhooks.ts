import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export type SignedHeaders = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;
export type VerifyResult = { ok: true; id: string } | { ok: false; reason: string };
/** Node's IncomingHttpHeaders fits here, as does a plain record. */
export type HeaderBag = Record<string, string | string[] | undefined>;

const SECRET_PREFIX = 'whsec_';

/** 'whsec_' + base64 of 32 random bytes (the spec asks for 24 to 64). */
export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

export function signHeaders(secret: string, message: { id: string; timestamp: Date; body: string }): SignedHeaders {
  const signature = new Webhook(secret).sign(message.id, message.timestamp, message.body);
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

/**
 * Checks a Standard Webhooks signature over the raw body (as received, before any JSON parse).
 * The package rejects timestamps more than 5 minutes away from now.
 */
export function verifySignature(secret: string, headers: HeaderBag, rawBody: string | Buffer): VerifyResult {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  }
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch (err) {
    return { ok: false, reason: `unusable signing secret: ${(err as Error).message}` };
  }
  try {
    webhook.verify(rawBody, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, { jsonParse: false });
    return { ok: true, id };
  } catch (err) {
    if (err instanceof WebhookVerificationError) return { ok: false, reason: err.message };
    throw err;
  }
}

/** Header values by case-insensitive name; repeated signature headers are joined like a list. */
function header(headers: HeaderBag, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

const META_PREFIX = 'sha256=';

/** Meta (WhatsApp Cloud API) `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
export function verifyMetaSignature(appSecret: string, rawBody: Buffer | string, headerValue: string | undefined): boolean {
  if (!appSecret || !headerValue?.startsWith(META_PREFIX)) return false;
  const hex = headerValue.slice(META_PREFIX.length).trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}
