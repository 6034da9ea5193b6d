import { z } from 'zod';
import { isCoordinate, isJsonObjectTemplate, OFFER_EXPIRY_HINT, offerExpiryMs, TEMPLATE_CODE_MAX } from './whatsapp-template-values';

// An approved WhatsApp template as the Send message step sends it: its name and language and the
// values of ours it takes (each string a template of ours, rendered at send time). A literal value
// Meta would refuse is refused here, when the workflow is saved; a rendered one before the call
// (server/channels/template-components.ts). Nothing here depends on the time: stored workflows
// are parsed again later.
// Send shapes: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components

export const MESSAGE_MEDIA_TYPES = ['image', 'document', 'video'] as const;

const ParameterName = z.string().regex(/^[a-z_][a-z0-9_]{0,127}$/, 'A parameter name uses lowercase letters, digits and _ (as in the template)');
/** Body parameters {{1}}, {{2}}, … in order; each is a template of ours. */
const Parameters = z.array(z.string().max(1024, 'A parameter has at most 1024 characters')).max(20, 'At most 20 parameters').default([]);
/**
 * For a template with named parameters ({{first_name}}): each parameter's name, in the order of
 * `parameters` (Meta's `parameter_name`). Left out: positional {{1}}, {{2}}, …
 */
const ParameterNames = z.array(ParameterName).max(20).optional();
const namesMatch = { message: 'Give each named parameter a value (one name per parameter)', path: ['parameterNames'] };
const oneNamePerValue = (t: { parameters: string[]; parameterNames?: string[] | undefined }) => !t.parameterNames || t.parameterNames.length === t.parameters.length;

const coordinate = (what: 'latitude' | 'longitude', limit: number) => z.string().trim()
  .min(1, `Enter the ${what}`)
  .max(200)
  .refine((v) => v.includes('{{') || isCoordinate(v, limit), `The ${what} is a number of degrees from -${limit} to ${limit} (e.g. ${what === 'latitude' ? '37.4847' : '-122.1477'}), or a {{…}} that gives one`);

/**
 * The value a template's header needs: its one text parameter (named or positional), the
 * image / video / document it shows, by https link, or the place its map shows.
 */
export const WhatsAppTemplateHeader = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string().trim().min(1, 'Enter the header’s value').max(60, 'A header value has at most 60 characters'),
    parameterName: ParameterName.optional(),
  }),
  z.object({ type: z.enum(MESSAGE_MEDIA_TYPES), url: z.string().trim().min(1, 'Enter the link of the header’s file').max(2000) }),
  // A location header's map: coordinates in decimal degrees, a name and an address under it, all
  // given at send time (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/utility-templates/location-templates/).
  z.object({
    type: z.literal('location'),
    latitude: coordinate('latitude', 90),
    longitude: coordinate('longitude', 180),
    name: z.string().trim().max(1000, 'A location name has at most 1000 characters').optional(),
    address: z.string().trim().max(1000, 'An address has at most 1000 characters').optional(),
  }),
]);
export type WhatsAppTemplateHeader = z.infer<typeof WhatsAppTemplateHeader>;

const ButtonIndex = z.number().int().min(0).max(9);
const ButtonValueText = z.string().trim().min(1, 'Enter the button’s value').max(2000);
/**
 * A button that takes a value, by its place among the template's buttons (0-based): a link's
 * {{1}} suffix, a copy-code button's code, a flow button's token and first-screen data
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/sendingaflow:
 * both "optional"), a catalog button's thumbnail product
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/catalogs/catalog-template-messages: "Optional").
 */
export const WhatsAppTemplateButtonValue = z.discriminatedUnion('type', [
  z.object({ index: ButtonIndex, type: z.literal('url'), value: ButtonValueText }),
  z.object({ index: ButtonIndex, type: z.literal('copy_code'), value: ButtonValueText }),
  z.object({
    index: ButtonIndex,
    type: z.literal('flow'),
    /** Our identifier of this send of the flow (Meta's `flow_token`, "default is unused"). */
    flowToken: z.string().trim().min(1, 'Enter the flow token, or leave it out').max(1000, 'A flow token has at most 1000 characters').optional(),
    /** JSON object text, the flow's first screen's data; a {{…}} inside quotes inserts text, outside a whole value. */
    flowActionData: z.string().trim().max(10_000, 'The flow data has at most 10000 characters').optional()
      .refine((v) => v === undefined || v === '' || isJsonObjectTemplate(v), 'The flow data is a JSON object, e.g. {"name": "{{$contact.firstName}}"}, or a {{…}} that gives one'),
  }),
  z.object({
    index: ButtonIndex,
    type: z.literal('catalog'),
    /** The product whose image heads the message ("Labeled as Content ID in the Commerce Manager"); left out: the catalog's first. */
    thumbnailProductRetailerId: z.string().trim().min(1, 'Enter the product’s retailer id, or leave it out').max(200).optional(),
  }),
]);
export type WhatsAppTemplateButtonValue = z.infer<typeof WhatsAppTemplateButtonValue>;

/**
 * A media card carousel's card (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/media-card-carousel-templates):
 * its image or video header by https link, its body's parameters, its buttons' values (a link's
 * suffix; a quick reply's payload, "Optional").
 */
export const WhatsAppCarouselCard = z.object({
  header: z.object({ type: z.enum(['image', 'video']), url: z.string().trim().min(1, 'Enter the link of the card’s image or video').max(2000) }),
  parameters: Parameters,
  parameterNames: ParameterNames,
  buttons: z.array(z.discriminatedUnion('type', [
    z.object({ index: ButtonIndex, type: z.literal('url'), value: ButtonValueText }),
    z.object({ index: ButtonIndex, type: z.literal('quick_reply'), payload: z.string().trim().max(1000, 'A payload has at most 1000 characters').optional() }),
  ])).max(2, 'A card has at most 2 buttons').optional(),
}).refine(oneNamePerValue, namesMatch);
export type WhatsAppCarouselCard = z.infer<typeof WhatsAppCarouselCard>;

/** A literal code within Meta's limit; a template of ours is checked once rendered. */
const fitsCode = (v: string) => v.includes('{{') || v.length <= TEMPLATE_CODE_MAX;

export const WhatsAppTemplateRef = z.object({
  name: z.string().trim().regex(/^[a-z0-9_]{1,512}$/, 'A template name uses lowercase letters, digits and _ (as in WhatsApp Manager)'),
  language: z.string().trim().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'Use the template’s language code, e.g. en_US or pt_BR'),
  parameters: Parameters,
  parameterNames: ParameterNames,
  /** For a template whose header takes a value (a text parameter, media, or a location). */
  header: WhatsAppTemplateHeader.optional(),
  /** Buttons that take a value, by their place among the template's buttons. */
  buttons: z.array(WhatsAppTemplateButtonValue).max(10).optional(),
  /**
   * An authentication template's one-time code ({{$trigger.variables.code}}): Meta takes it twice,
   * as the body's parameter and the copy-code / one-tap button's (see TEMPLATE_CODE_MAX).
   */
  code: z.string().trim().min(1, 'Enter the one-time code, e.g. {{$trigger.variables.code}}').max(200)
    .refine(fitsCode, `A one-time code has at most ${TEMPLATE_CODE_MAX} characters`).optional(),
  /** A limited-time offer template showing its end: when the offer ends (checked against the clock at send time). */
  limitedTimeOffer: z.object({
    expiresAt: z.string().trim().min(1, 'Enter when the offer ends').max(200)
      .refine((v) => v.includes('{{') || offerExpiryMs(v) !== null, `Give when the offer ends as ${OFFER_EXPIRY_HINT}, or a {{…}} that gives one`),
  }).optional(),
  /** A media card carousel template: each card's values, as many cards as the template has. */
  carousel: z.object({
    cards: z.array(WhatsAppCarouselCard).min(2, 'A carousel has at least 2 cards').max(10, 'A carousel has at most 10 cards'),
  }).optional(),
}).superRefine((t, ctx) => {
  if (!oneNamePerValue(t)) ctx.addIssue({ code: 'custom', ...namesMatch });
  if (t.code !== undefined) {
    // Authentication templates have only the preset body ({{1}} is the code) and the code's button.
    if (t.parameters.length) ctx.addIssue({ code: 'custom', path: ['parameters'], message: 'An authentication template takes only its one-time code: remove the parameters' });
    if (t.buttons?.length) ctx.addIssue({ code: 'custom', path: ['buttons'], message: 'An authentication template takes only its one-time code: remove the button values' });
    if (t.header) ctx.addIssue({ code: 'custom', path: ['header'], message: 'An authentication template has no header' });
  }
  if (t.limitedTimeOffer) {
    t.buttons?.forEach((b, i) => {
      if (b.type === 'copy_code' && !fitsCode(b.value)) ctx.addIssue({ code: 'custom', path: ['buttons', i, 'value'], message: `An offer code has at most ${TEMPLATE_CODE_MAX} characters` });
    });
  }
});
export type WhatsAppTemplateRef = z.infer<typeof WhatsAppTemplateRef>;
