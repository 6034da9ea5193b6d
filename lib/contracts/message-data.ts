import { z } from 'zod';
import { AdReferral } from './ad-referral';

// What a customer sent through WhatsApp beyond what its text shows, kept on the message
// (`data`) for the API's readers (an n8n flow, a Mini-app reading the conversation). The text
// says the same in words for agents and for workflows, which read messages as text.
// Shapes: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages

const Label = z.string().max(200);

/**
 * A WhatsApp Flow's answer (interactive `nfm_reply`): the fields of its `response_json` without
 * `flow_token`, each a text, number, boolean or null (a nested value is kept as its JSON text).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/receiveflowresponse
 */
export const FlowResponseData = z.object({
  type: z.literal('flow_response'),
  /** `flow`, or `address_message` for an address form. */
  name: Label,
  fields: z.record(z.string().max(200), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])),
});

/** One shared contact card (`contacts` message): what WhatsApp passed on of it. https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/contacts */
export const SharedContact = z.object({
  name: Label,
  phones: z.array(z.object({ phone: Label, type: Label.optional(), waId: Label.optional() })),
  emails: z.array(z.object({ email: Label, type: Label.optional() })),
  org: z.object({ company: Label.optional(), department: Label.optional(), title: Label.optional() }).optional(),
});
export const SharedContactsData = z.object({ type: z.literal('contacts'), contacts: z.array(SharedContact) });

/** A cart sent from the catalog (`order` message). https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/order */
export const OrderData = z.object({
  type: z.literal('order'),
  catalogId: Label.nullable(),
  text: z.string().max(4096).nullable(),
  items: z.array(z.object({ productRetailerId: Label, quantity: z.number(), itemPrice: z.number().nullable(), currency: Label.nullable() })),
});

/** The ad the customer wrote from (Click-to-WhatsApp / Click-to-Messenger): what Meta said of it. */
export const AdReferralData = AdReferral.extend({ type: z.literal('ad_referral') });

export const MessageData = z.discriminatedUnion('type', [FlowResponseData, SharedContactsData, OrderData, AdReferralData]);
export type MessageData = z.infer<typeof MessageData>;
export type SharedContact = z.infer<typeof SharedContact>;
