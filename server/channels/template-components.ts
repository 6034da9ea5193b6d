import type { WhatsAppCarouselCard, WhatsAppTemplateButtonValue, WhatsAppTemplateHeader, WhatsAppTemplateRef } from '../../lib/contracts/whatsapp-template-ref';
import { isCoordinate, jsonObjectOf, OFFER_EXPIRY_HINT, offerExpiryMs, TEMPLATE_CODE_MAX } from '../../lib/contracts/whatsapp-template-values';
import { isFetchableLink } from '../../lib/workflow/send-links';

// A WhatsApp template's `components` as the Cloud API takes them, from the step's values once our
// templates in them are rendered; and what Meta would refuse in those values, said before the call.
// Header, body and button parameters (positional, or named by `parameter_name`):
//   https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components
// A location header's `location`: .../whatsapp/templates/utility-templates/location-templates/
// A copy-code button's `coupon_code`: .../whatsapp/templates/marketing-templates/coupon-templates
// A flow button's `action` {flow_token ("optional, default is unused"), flow_action_data}:
//   https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/sendingaflow
// A catalog button (sub_type "CATALOG", index 0, `action.thumbnail_product_retailer_id`; "If the
//   parameters object is omitted, the product image of the first item in your catalog will be used"):
//   https://developers.facebook.com/documentation/business-messaging/whatsapp/catalogs/catalog-template-messages
// An authentication template's code, in the body and in the button (sub_type "url", index "0"):
//   https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/authentication-templates/copy-code-button-authentication-templates
//   (the same send for .../autofill-button-authentication-templates and .../zero-tap-authentication-templates)
// A limited-time offer's `limited_time_offer` {expiration_time_ms}, after the body, before the buttons:
//   https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/limited-time-offer-templates
// A media card carousel's `carousel` {cards: [{card_index, components}]} after the body; each card's
//   header, body and buttons (a quick reply's `payload`, a link's text):
//   https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/media-card-carousel-templates
//   Headers go by `link` (a media object takes an uploaded id or a link:
//   https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).

type Render = (template: string) => string;
type Component = Record<string, unknown>;

/** The step's values with our templates rendered: text as text, a flow's first-screen data as JSON. */
export function renderTemplateRef(t: WhatsAppTemplateRef, render: Render, renderJson: Render): WhatsAppTemplateRef {
  const h = t.header;
  const header = h && (h.type === 'text' ? { ...h, text: render(h.text) }
    : h.type === 'location' ? { ...h, latitude: render(h.latitude).trim(), longitude: render(h.longitude).trim(), ...(h.name ? { name: render(h.name) } : {}), ...(h.address ? { address: render(h.address) } : {}) }
    : { ...h, url: render(h.url).trim() });
  const button = (b: WhatsAppTemplateButtonValue): WhatsAppTemplateButtonValue => {
    switch (b.type) {
      case 'flow': {
        // Blank data is no data.
        const { flowToken, flowActionData, ...rest } = b;
        return { ...rest, ...(flowToken !== undefined ? { flowToken: render(flowToken).trim() } : {}), ...(flowActionData?.trim() ? { flowActionData: renderJson(flowActionData) } : {}) };
      }
      case 'catalog': return { ...b, ...(b.thumbnailProductRetailerId !== undefined ? { thumbnailProductRetailerId: render(b.thumbnailProductRetailerId).trim() } : {}) };
      default: return { ...b, value: render(b.value) };
    }
  };
  const card = (c: WhatsAppCarouselCard): WhatsAppCarouselCard => ({
    ...c, header: { ...c.header, url: render(c.header.url).trim() }, parameters: c.parameters.map(render),
    ...(c.buttons ? { buttons: c.buttons.map((b) => (b.type === 'url' ? { ...b, value: render(b.value) } : { ...b, ...(b.payload !== undefined ? { payload: render(b.payload) } : {}) })) } : {}),
  });
  return {
    ...t, parameters: t.parameters.map(render),
    ...(header ? { header } : {}),
    ...(t.buttons ? { buttons: t.buttons.map(button) } : {}),
    ...(t.code !== undefined ? { code: render(t.code).trim() } : {}),
    ...(t.limitedTimeOffer ? { limitedTimeOffer: { expiresAt: render(t.limitedTimeOffer.expiresAt).trim() } } : {}),
    ...(t.carousel ? { carousel: { cards: t.carousel.cards.map(card) } } : {}),
  };
}

/** A link Meta fetches itself (a media message's file, a template header's): https only. */
export { isFetchableLink };

const clipped = (s: string, max = 200) => (s.length > max ? `${s.slice(0, max)}…` : s);
const quoted = (s: string) => `"${clipped(s)}"`;

/**
 * What Meta would refuse in a rendered template, said so that the admin knows what to fix (a
 * contact field left empty, a variable that does not hold a date): a header link it cannot fetch,
 * coordinates out of range, a code too long, flow data that is not a JSON object, an offer that has
 * ended. null: nothing known to be wrong.
 */
export function templateProblem(t: WhatsAppTemplateRef, now: number): string | null {
  const cannot = `Cannot send template ${t.name}:`;
  const h = t.header;
  if (h?.type === 'location') {
    if (!isCoordinate(h.latitude, 90)) return `${cannot} its header location's latitude "${h.latitude}" is not a number of degrees from -90 to 90`;
    if (!isCoordinate(h.longitude, 180)) return `${cannot} its header location's longitude "${h.longitude}" is not a number of degrees from -180 to 180`;
  } else if (h && h.type !== 'text' && !isFetchableLink(h.url)) return `${cannot} its header ${h.type} link "${h.url}" is not an https:// URL Meta can fetch`;
  if (t.code !== undefined) {
    if (!t.code) return `${cannot} its one-time code rendered empty`;
    if (t.code.length > TEMPLATE_CODE_MAX) return `${cannot} its one-time code ${quoted(t.code)} has ${t.code.length} characters; Meta takes at most ${TEMPLATE_CODE_MAX}`;
  }
  for (const b of t.buttons ?? []) {
    const which = `its button ${b.index + 1}`;
    if (b.type === 'flow' && b.flowToken === '') return `${cannot} ${which} (a flow) has a token that rendered empty; leave the token out to send Meta's default`;
    if (b.type === 'flow' && b.flowActionData !== undefined && !jsonObjectOf(b.flowActionData)) return `${cannot} ${which} (a flow) has first-screen data that is not a JSON object once the variables are filled in: ${clipped(b.flowActionData)}`;
    if (b.type === 'catalog' && b.thumbnailProductRetailerId === '') return `${cannot} ${which} (a catalog) has a thumbnail product that rendered empty; leave it out to show the catalog's first product`;
    if (b.type === 'copy_code' && t.limitedTimeOffer && b.value.length > TEMPLATE_CODE_MAX) return `${cannot} its offer code ${quoted(b.value)} has ${b.value.length} characters; Meta takes at most ${TEMPLATE_CODE_MAX}`;
  }
  if (t.limitedTimeOffer) {
    const ends = offerExpiryMs(t.limitedTimeOffer.expiresAt);
    if (ends === null) return `${cannot} its offer's end ${quoted(t.limitedTimeOffer.expiresAt)} is not ${OFFER_EXPIRY_HINT}`;
    if (ends <= now) return `${cannot} its offer ended at ${new Date(ends).toISOString()}, before this send`;
  }
  for (const [i, c] of (t.carousel?.cards ?? []).entries()) {
    if (!isFetchableLink(c.header.url)) return `${cannot} its card ${i + 1} ${c.header.type} link "${c.header.url}" is not an https:// URL Meta can fetch`;
  }
  return null;
}

const bodyComponent = (parameters: string[], names: string[] | undefined): Component[] => (parameters.length
  ? [{ type: 'body', parameters: parameters.map((text, i) => ({ type: 'text', ...(names ? { parameter_name: names[i] } : {}), text })) }]
  : []);

const mediaHeader = (type: string, url: string): Component => ({ type: 'header', parameters: [{ type, [type]: { link: url } }] });

function headerComponent(h: WhatsAppTemplateHeader): Component {
  switch (h.type) {
    case 'text': return { type: 'header', parameters: [{ type: 'text', ...(h.parameterName ? { parameter_name: h.parameterName } : {}), text: h.text }] };
    // Coordinates as strings, as Meta's examples send them.
    case 'location': return { type: 'header', parameters: [{ type: 'location', location: { latitude: h.latitude, longitude: h.longitude, ...(h.name?.trim() ? { name: h.name } : {}), ...(h.address?.trim() ? { address: h.address } : {}) } }] };
    default: return mediaHeader(h.type, h.url);
  }
}

const urlButton = (index: number, text: string): Component => ({ type: 'button', sub_type: 'url', index: String(index), parameters: [{ type: 'text', text }] });

function buttonComponent(b: WhatsAppTemplateButtonValue): Component {
  switch (b.type) {
    case 'url': return urlButton(b.index, b.value);
    case 'copy_code': return { type: 'button', sub_type: 'copy_code', index: String(b.index), parameters: [{ type: 'coupon_code', coupon_code: b.value }] };
    case 'flow': {
      const data = b.flowActionData !== undefined ? jsonObjectOf(b.flowActionData) : null;
      // The token Meta would use anyway when none is given, so the action is never empty.
      const action = { flow_token: b.flowToken ?? 'unused', ...(data && Object.keys(data).length ? { flow_action_data: data } : {}) };
      return { type: 'button', sub_type: 'flow', index: String(b.index), parameters: [{ type: 'action', action }] };
    }
    case 'catalog': return {
      type: 'button', sub_type: 'CATALOG', index: b.index,
      ...(b.thumbnailProductRetailerId ? { parameters: [{ type: 'action', action: { thumbnail_product_retailer_id: b.thumbnailProductRetailerId } }] } : {}),
    };
  }
}

function cardComponents(c: WhatsAppCarouselCard): Component[] {
  return [
    mediaHeader(c.header.type, c.header.url),
    ...bodyComponent(c.parameters, c.parameterNames),
    // A quick reply without a payload sends nothing: the payload is "Optional".
    ...(c.buttons ?? []).flatMap((b) => (b.type === 'url' ? [urlButton(b.index, b.value)]
      : b.payload?.trim() ? [{ type: 'button', sub_type: 'quick_reply', index: String(b.index), parameters: [{ type: 'payload', payload: b.payload }] }] : [])),
  ];
}

/** The template's components, in Meta's order: header, body, offer, carousel, buttons. */
export function templateComponents(t: WhatsAppTemplateRef): Component[] {
  if (t.code !== undefined) {
    // "Note that this value must appear twice in the payload."
    return [
      { type: 'body', parameters: [{ type: 'text', text: t.code }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: t.code }] },
    ];
  }
  const expires = t.limitedTimeOffer && offerExpiryMs(t.limitedTimeOffer.expiresAt);
  return [
    ...(t.header ? [headerComponent(t.header)] : []),
    ...bodyComponent(t.parameters, t.parameterNames),
    ...(expires ? [{ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: expires } }] }] : []),
    ...(t.carousel ? [{ type: 'carousel', cards: t.carousel.cards.map((c, i) => ({ card_index: i, components: cardComponents(c) })) }] : []),
    ...(t.buttons ?? []).map(buttonComponent),
  ];
}
