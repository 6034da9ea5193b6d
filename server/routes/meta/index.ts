import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../../http-error';
import { noteErrorCode } from '../../http/request-log';
import { rawWebhookBodyParser, webhookJson } from '../../http/webhook-body';
import { looksLikeMetaSignature, verifyMetaSignature } from '../../signing/standard-webhooks';
import { metaItems, type MetaItem } from '../../webhooks/meta-payloads';
import type { Services } from '../../services';
import { isUniqueViolation, isUnstorableText } from '../../store/database';
import { ingestMetaItem, newDeliveryContext, type DeliveryContext } from '../../webhooks/meta-ingest';
import { oncePerMinute } from '../../webhooks/once-a-minute';

const MetaAnswer = z.object({
  received: z.number(), duplicates: z.number(), skipped: z.number(),
  /** Items for a WhatsApp number or Page not connected here: not stored. */
  ignored: z.number(),
  /** `value.errors` notifications (Meta could not process something for the number): logged at warn. */
  errors: z.number(),
  /** Why items were ignored, each reason once with how many items it covers. */
  ignoredReasons: z.array(z.object({ reason: z.string(), items: z.number() })),
  runIds: z.array(z.string()),
});
type Logger = { warn: (obj: object, msg: string) => void };

/** The account an item names, as the admin finds it in Meta's tools. */
const accountOf = (item: { channel: 'whatsapp' | 'messenger'; accountId: string | null }) =>
  item.channel === 'whatsapp' ? { phoneNumberId: item.accountId } : { pageId: item.accountId };

/**
 * Two deliveries about the same new customer racing (PostgreSQL: both create the contact or open
 * the conversation, one hits the unique index and rolls back): the loser's item runs once more
 * and finds what the winner stored.
 */
async function ingestWithRetry(services: Services, item: MetaItem, delivery: DeliveryContext) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingestMetaItem(services, item, delivery);
    } catch (err) {
      const race = isUniqueViolation(err) || (err instanceof HttpError && err.statusCode === 409);
      if (!race || attempt >= 3) throw err;
    }
  }
}

const badSignature = () => new HttpError(401, 'invalid_signature', 'X-Hub-Signature-256 does not match the body');

/** Meta's webhook: verification handshake and WhatsApp Cloud API / Messenger deliveries. */
export const metaRoutes: FastifyPluginAsyncZod = async (app) => {
  const { config } = app.services;
  // A number of the Business Account (or a Page) the app is subscribed to but not connected here
  // sends every message and status: warned once a minute per number, not per item.
  const firstThisMinute = oncePerMinute();
  const warnNotConnected = (log: Logger, item: { channel: 'whatsapp' | 'messenger'; accountId: string | null }, reason: string) => {
    if (!firstThisMinute(`${item.channel}:${item.accountId ?? ''}`)) return;
    log.warn({ channel: item.channel, ...accountOf(item) }, `Meta webhook: ${reason}. Connect it under Channels, or stop the Meta app's webhook subscription for it (WhatsApp: the Business Account's subscribed_apps; Messenger: the Page's subscription)`);
  };
  app.removeAllContentTypeParsers();
  // The bytes only: the JSON is read once they are known to be Meta's (below). A 16 MiB body parsed
  // first held the event loop for seconds, for a caller without the app secret.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, rawWebhookBodyParser);

  app.get('/meta/webhook', {
    config: { access: { public: true } },
    schema: {
      tags: ['meta'], summary: 'Meta webhook verification (hub.challenge)',
      querystring: z.object({ 'hub.mode': z.string().max(50).optional(), 'hub.verify_token': z.string().max(500).optional(), 'hub.challenge': z.string().max(500).optional() }),
      // Sent as it came, as text (a string with a content type is never serialized).
      response: { 200: { description: 'The hub.challenge, as text', content: { 'text/plain': { schema: z.string() } } } },
    },
  }, async (req, reply) => {
    const q = req.query;
    if (!config.metaVerifyToken) throw new HttpError(403, 'not_configured', 'Set META_VERIFY_TOKEN to enable the Meta webhook');
    if (q['hub.mode'] !== 'subscribe' || q['hub.verify_token'] !== config.metaVerifyToken || !q['hub.challenge']) {
      throw new HttpError(403, 'forbidden', 'The verify token does not match');
    }
    return reply.type('text/plain').send(q['hub.challenge']);
  });

  // Meta batches up to 1,000 updates in one delivery: the body limit is above Fastify's 1 MiB.
  app.post('/meta/webhook', {
    bodyLimit: 16 * 1024 * 1024,
    // Request lines at debug, as /hooks (http/request-log.ts): each delivery is recorded already.
    config: { access: { public: true }, requestLog: 'debug' },
    onSend: noteErrorCode,
    // Before the body is read: without the app secret nothing can be verified, and a delivery
    // without a signature cannot be Meta's. The connection is closed after the answer rather
    // than kept to read the megabytes still coming.
    onRequest: async (req, reply) => {
      const refusal = !config.metaAppSecret ? new HttpError(401, 'not_configured', 'Set META_APP_SECRET so deliveries can be verified')
        : !looksLikeMetaSignature(req.headers['x-hub-signature-256']) ? badSignature() : undefined;
      if (refusal) {
        reply.header('connection', 'close');
        throw refusal;
      }
    },
    schema: {
      tags: ['meta'], summary: 'WhatsApp Cloud API / Messenger webhook deliveries',
      response: { 200: MetaAnswer },
    },
  }, async (req) => {
    const raw = req.body as Buffer | undefined;
    if (!raw) throw new HttpError(415, 'unsupported_media_type', 'Send a JSON body');
    // The HMAC of the bytes as sent, then the JSON: https://developers.facebook.com/docs/graph-api/webhooks/getting-started/
    // ("Validate Payloads": X-Hub-Signature-256, sha256= the HMAC-SHA256 of the payload with the app secret).
    if (!verifyMetaSignature(config.metaAppSecret ?? '', raw, req.headers['x-hub-signature-256'] as string | undefined)) throw badSignature();
    const payload = webhookJson(req.headers, raw, { boundedDepth: true });
    if (payload instanceof HttpError) throw payload;
    // Each item on its own: a malformed or unused item is skipped and logged, the rest stored.
    // A storage failure answers 500 after the other items were tried; Meta redelivers the
    // whole batch and the items already stored are recognised as repeats.
    // runIds: every run the delivery started (a Welcome on Conversation Opened, a Click-to-Chat workflow, …).
    // Ignored items (a number not connected here) answer 200 too: Meta retries anything else, for days.
    const result: z.infer<typeof MetaAnswer> = { received: 0, duplicates: 0, skipped: 0, ignored: 0, errors: 0, ignoredReasons: [], runIds: [] };
    const ignoredBy = new Map<string, number>();
    const delivery = newDeliveryContext();
    let failure: unknown;
    for (const item of metaItems(payload.json)) {
      if (item.kind === 'skip') {
        result.skipped++;
        req.log.debug({ reason: item.reason }, 'meta webhook item skipped');
        continue;
      }
      if (item.kind === 'error') {
        // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/errors
        result.errors++;
        req.log.warn({ channel: item.channel, ...accountOf(item), code: item.code, title: item.title, details: item.details }, `Meta webhook error notification: ${item.code ?? ''} ${item.title}`);
        continue;
      }
      try {
        const r = await ingestWithRetry(app.services, item, delivery);
        if (r.outcome === 'stored') result.received++;
        else if (r.outcome === 'duplicate') result.duplicates++;
        else if (r.outcome === 'ignored') {
          result.ignored++;
          const reason = r.reason ?? 'not connected here';
          ignoredBy.set(reason, (ignoredBy.get(reason) ?? 0) + 1);
          warnNotConnected(req.log, item, reason);
        } else {
          result.skipped++;
          if (r.reason) req.log.debug({ reason: r.reason }, 'meta webhook item skipped');
        }
        result.runIds.push(...r.runIds);
      } catch (err) {
        // Text the stores cannot hold is replaced on arrival (webhook-body.ts); should some still get
        // through, it fails the same way on every retry: skipped like any refused item, not a 422
        // for the whole delivery that Meta would send again and again.
        if ((err instanceof HttpError && err.statusCode < 500 && err.statusCode !== 409) || isUnstorableText(err)) {
          // The item's content cannot be stored (retrying will not change that): skipped, logged.
          result.skipped++;
          req.log.warn({ err: (err as Error).message }, 'meta webhook item refused');
          continue;
        }
        failure ??= err;
        req.log.error({ err }, 'meta webhook item could not be stored');
      }
    }
    if (failure) throw failure;
    result.ignoredReasons = [...ignoredBy].map(([reason, items]) => ({ reason, items }));
    return result;
  });
};
