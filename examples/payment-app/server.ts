// The "Payments" mini-app: a small payment provider's integration server, in plain node:http.
// It receives the companion's subscribe/unsubscribe requests (verifying their Standard Webhooks
// signatures), keeps the API key it was given, fires the `payment_paid` trigger with that key,
// and serves the `refund` action the manifest packages. Run: see README.md.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Webhook } from 'standardwebhooks';

const MANIFEST_FILE = fileURLToPath(new URL('./manifest.json', import.meta.url));
/** The origin manifest.json is written for; `manifest(baseUrl)` points it at where the app really runs. */
const MANIFEST_ORIGIN = 'http://127.0.0.1:8790';

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  verified: boolean;
  /** Why the signature did not verify. */
  reason?: string;
  at: string;
}

export interface Installation {
  workspaceId: string;
  appId: string;
  installationId: string;
  apiKey: string;
  authValues: Record<string, unknown>;
}

export interface PaymentAppOptions {
  /** 0 for any free port. */
  port: number;
  host?: string;
  /** Where the companion listens, e.g. http://127.0.0.1:8787. */
  companionUrl: string;
  /** The signingSecret POST /api/v1/apps returned; can also be set later with setSigningSecret. */
  signingSecret?: string;
  /** Installations to start with (the app's own storage, e.g. kept across a restart). */
  installations?: Installation[];
}

export interface PaymentApp {
  url: string;
  port: number;
  /** Everything the companion sent, in order. */
  received: { subscribe: ReceivedRequest[]; unsubscribe: ReceivedRequest[]; refunds: ReceivedRequest[] };
  installations: Map<string, Installation>;
  setSigningSecret(secret: string): void;
  /** The manifest with its URLs pointing at this server. */
  manifest(): any;
  close(): Promise<void>;
}

export function paymentManifest(baseUrl: string): any {
  const text = readFileSync(MANIFEST_FILE, 'utf8');
  return JSON.parse(text.split(MANIFEST_ORIGIN).join(baseUrl.replace(/\/+$/, '')));
}

class HttpFailure extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

const MAX_BODY = 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new HttpFailure(413, 'body too large')); req.destroy(); } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): any {
  try { return JSON.parse(text); } catch { throw new HttpFailure(400, 'body is not JSON'); }
}

export async function startPaymentApp(options: PaymentAppOptions): Promise<PaymentApp> {
  let signingSecret = options.signingSecret;
  const companionUrl = options.companionUrl.replace(/\/+$/, '');
  const received: PaymentApp['received'] = { subscribe: [], unsubscribe: [], refunds: [] };
  const installations = new Map<string, Installation>((options.installations ?? []).map((i) => [i.installationId, i]));
  const paidAtByOrder = new Map<string, string>();

  /** Checks the companion's signature over the raw body; records the request either way. */
  function verified(path: string, req: http.IncomingMessage, raw: string, into: ReceivedRequest[]) {
    const entry: ReceivedRequest = { path, headers: req.headers, body: parseJson(raw), verified: false, at: new Date().toISOString() };
    if (!signingSecret) entry.reason = 'no signing secret configured (PAYMENT_APP_SIGNING_SECRET)';
    else {
      try {
        new Webhook(signingSecret).verify(raw, {
          'webhook-id': String(req.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        });
        entry.verified = true;
      } catch (err) {
        entry.reason = (err as Error).message;
      }
    }
    into.push(entry);
    if (!entry.verified) throw new HttpFailure(401, `signature check failed: ${entry.reason}`);
    return entry.body;
  }

  async function companion(method: string, path: string, apiKey: string, body?: unknown, extraHeaders: Record<string, string> = {}) {
    const res = await fetch(companionUrl + path, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...extraHeaders },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown = text;
    try { json = JSON.parse(text); } catch { /* keep the text */ }
    return { status: res.status, body: json };
  }

  const routes: Record<string, (req: http.IncomingMessage, raw: string) => Promise<[number, unknown]>> = {
    'POST /subscribe': async (req, raw) => {
      const body = verified('/subscribe', req, raw, received.subscribe) as Installation;
      // Try the key before accepting it: the install only completes when we answer 2xx.
      const check = await companion('GET', '/api/v1/contacts?limit=1', body.apiKey);
      if (check.status !== 200) return [401, { error: `the API key does not work (HTTP ${check.status})` }];
      installations.set(body.installationId, body);
      return [200, { ok: true }];
    },
    'POST /unsubscribe': async (req, raw) => {
      const body = verified('/unsubscribe', req, raw, received.unsubscribe) as Omit<Installation, 'apiKey'>;
      installations.delete(body.installationId);
      return [200, { ok: true }];
    },
    'POST /refunds': async (req, raw) => {
      const body = verified('/refunds', req, raw, received.refunds) as { accountId: string; orderId: string; reason?: string | null };
      // Read once the signature verified (it covers the body, not this header): which of our installations calls.
      const installationId = String(req.headers['x-inboxcompanion-installation-id'] ?? '');
      if (!installations.has(installationId)) return [404, { error: `unknown installation "${installationId}": install the app again` }];
      if (!body.orderId) return [422, { error: 'orderId is required' }];
      return [201, { refund: { id: `rf_${randomUUID().slice(0, 8)}`, status: 'refunded', orderId: body.orderId, accountId: body.accountId } }];
    },
    // A payment provider would call this from its own payment flow; here it is a button to press.
    'POST /simulate/payment-paid': async (_req, raw) => {
      const { phone, amount, orderId } = parseJson(raw) as { phone?: string; amount?: number; orderId?: string };
      const installation = [...installations.values()].at(-1);
      if (!installation) return [409, { error: 'not installed: install the app in the companion first' }];
      // A retry must repeat the same body: the companion refuses a key reused for another body (409).
      const paidAt = orderId ? (paidAtByOrder.get(orderId) ?? paidAtByOrder.set(orderId, new Date().toISOString()).get(orderId)!) : new Date().toISOString();
      const fired = await companion('POST', `/api/v1/apps/${installation.appId}/triggers/payment_paid`, installation.apiKey, {
        contact: { phone },
        items: {
          status: 'paid',
          amount,
          order: { id: orderId, total: amount, currency: 'EUR', paidAt, lines: [{ sku: 'sku-1', quantity: 1, price: amount }] },
        },
        // One payment is one event, however often this request is retried.
      }, orderId ? { 'idempotency-key': `payment-paid:${orderId}` } : {});
      return [fired.status, fired.body];
    },
    'GET /state': async () => [200, {
      installations: [...installations.values()].map(({ apiKey: _key, ...rest }) => rest),
      received: { subscribe: received.subscribe.length, unsubscribe: received.unsubscribe.length, refunds: received.refunds.length },
    }],
  };

  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const route = routes[`${req.method} ${(req.url ?? '/').split('?')[0]}`];
    if (!route) return send(404, { error: 'not found' });
    readBody(req)
      .then((raw) => route(req, raw))
      .then(([status, body]) => send(status, body))
      .catch((err) => send(err instanceof HttpFailure ? err.status : 500, { error: (err as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url, port, received, installations,
    setSigningSecret: (secret) => { signingSecret = secret; },
    manifest: () => paymentManifest(url),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

// `npx tsx examples/payment-app/server.ts`: configured by environment variables (README.md).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = await startPaymentApp({
    port: Number(process.env.PORT ?? 8790),
    companionUrl: process.env.COMPANION_URL ?? 'http://127.0.0.1:8787',
    signingSecret: process.env.PAYMENT_APP_SIGNING_SECRET,
  });
  console.log(`Payments app listening on ${app.url} (companion: ${process.env.COMPANION_URL ?? 'http://127.0.0.1:8787'})`);
  if (!process.env.PAYMENT_APP_SIGNING_SECRET) console.log('PAYMENT_APP_SIGNING_SECRET is not set: subscribe requests will be refused.');
  const stop = () => { void app.close().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
