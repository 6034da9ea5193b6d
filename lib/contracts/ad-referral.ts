import { z } from 'zod';

// What Meta says about the ad a customer came from, kept on the message that carried it, on the
// conversation it opened, and given to Click-to-Chat runs as `$trigger.*`. One shape for both
// channels, named after WhatsApp's fields:
// WhatsApp `messages[].referral` (source_url, source_id, source_type, headline, body, media_type,
//   image_url, video_url, thumbnail_url, ctwa_clid):
//   https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/text/
//   https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
// Messenger `referral` (on messaging, message or postback: ref, ad_id, source ADS, type,
//   ads_context_data { ad_title, photo_url, video_url, post_id, product_id }):
//   https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messaging_referrals
//   https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages

const Text = z.string().max(2000).nullable();

export const AdReferral = z.object({
  /** Where the customer wrote from the ad. */
  channel: z.enum(['whatsapp', 'messenger']),
  /** The ad's id (WhatsApp `source_id`, Messenger `ad_id`). */
  adId: z.string().max(200),
  /** The ad's name in the ads catalog (Ads Manager); the referral's headline when the ad is not in the catalog. */
  adName: z.string().max(300),
  headline: Text,
  body: Text,
  sourceUrl: Text,
  /** `ad` (only ads are kept; WhatsApp says `ad`, Messenger `ADS`). */
  sourceType: Text,
  /** WhatsApp: `image` or `video`. */
  mediaType: Text,
  /** WhatsApp `image_url`, Messenger `photo_url`. */
  imageUrl: Text,
  videoUrl: Text,
  thumbnailUrl: Text,
  /** WhatsApp's click id, for Meta's Conversions API; Messenger has none. */
  ctwaClid: Text,
  /** Messenger: the ad's `ref` parameter, its post and product. */
  ref: Text,
  postId: Text,
  productId: Text,
});
export type AdReferral = z.infer<typeof AdReferral>;

/** The referral as read from Meta's payload, before the catalog names the ad. */
export type MetaAdReferral = Omit<AdReferral, 'adName'>;

/** The referral's fields a Click-to-Chat run gets as `$trigger.*` (besides adId, adName, ctwaClid, message). */
export const AD_REFERRAL_TRIGGER_VARIABLES = [
  'headline', 'body', 'sourceUrl', 'sourceId', 'sourceType', 'mediaType', 'imageUrl', 'videoUrl', 'thumbnailUrl', 'ref', 'postId', 'productId', 'channel',
] as const;

/** `$trigger.*` of a Click-to-Chat run from its referral (`sourceId` is the ad's id, as WhatsApp names it). */
export function adReferralVariables(r: AdReferral): Record<(typeof AD_REFERRAL_TRIGGER_VARIABLES)[number], string | null> {
  return {
    headline: r.headline, body: r.body, sourceUrl: r.sourceUrl, sourceId: r.adId, sourceType: r.sourceType, mediaType: r.mediaType,
    imageUrl: r.imageUrl, videoUrl: r.videoUrl, thumbnailUrl: r.thumbnailUrl, ref: r.ref, postId: r.postId, productId: r.productId, channel: r.channel,
  };
}

/** `$conversation.adReferral.*`: what a template may read of the ad that opened the conversation. */
export const AD_REFERRAL_FIELDS = Object.keys(AdReferral.shape) as readonly (keyof AdReferral)[];
