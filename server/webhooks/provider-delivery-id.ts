import type { HttpError } from '../http-error';
import { checkedKey } from '../idempotency/request-key';

/**
 * Headers in which senders that cannot add an Idempotency-Key name a delivery, with the same
 * value on every retry of it: read as the delivery's key when no Idempotency-Key is sent. Each is
 * documented by its sender as constant across retries; a header that changes per attempt would
 * dedupe nothing, and one shared by distinct deliveries would drop real orders.
 *
 * Left out on purpose: WooCommerce's `X-WC-Webhook-Delivery-ID` is `wp_hash(webhook id . current
 * second)` (woocommerce/woocommerce, includes/class-wc-webhook.php `get_new_delivery_id`): a new
 * attempt gets a new value, and two orders of one webhook in the same second share one.
 */
export const PROVIDER_DELIVERY_HEADERS = [
  // Shopify retries a delivery without a 2xx in 5 s up to 8 times over 4 hours, same payload:
  // https://shopify.dev/changelog/updates-to-webhook-retry-mechanism
  // https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates (and https://n8n.io/workflows/22373,
  // n8n's Shopify template: "This ID stays the same on every retry of the same event").
  ['x-shopify-webhook-id', 'X-Shopify-Webhook-Id'],
  // "If you request a redelivery, the X-GitHub-Delivery header will be the same as in the original delivery":
  // https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks#use-the-x-github-delivery-header
  ['x-github-delivery', 'X-GitHub-Delivery'],
  // Standard Webhooks / Svix senders (unsigned here: with a signing secret it is the key already):
  // "webhook-id ... remains constant across all attempts to deliver that message",
  // https://docs.svix.com/idempotency#receiving-idempotency-deduplication
  ['webhook-id', 'webhook-id'],
  // Svix's older name for it (Clerk and others): "Consistent across retries",
  // https://docs.storekit.com/developers/webhooks/advanced/idempotency
  ['svix-id', 'svix-id'],
] as const;

type Headers = Record<string, string | string[] | undefined>;

/**
 * An unsigned delivery's key: its Idempotency-Key (an explicit key wins), else the first provider
 * delivery id sent; `header` names where it came from (a 409 for a reused one says so). A
 * delivery with none of them costs these few lookups and nothing else.
 */
export function unsignedDeliveryKey(headers: Headers): { id: string | undefined | HttpError; header: string } {
  const key = checkedKey(headers['idempotency-key']);
  if (key !== undefined) return { id: key, header: 'Idempotency-Key' };
  for (const [name, spelled] of PROVIDER_DELIVERY_HEADERS) {
    const id = checkedKey(headers[name], spelled);
    if (typeof id === 'string') return { id, header: spelled };
    // Too long to keep whole: left unused, since the sender cannot change it and a 422 would refuse every retry.
  }
  return { id: undefined, header: 'Idempotency-Key' };
}
