import type { GraphErrorAnswer, StandInComponent, StandInTemplate } from './graph-standin';

// The stand-in checks a template send against the template it was given, as Meta does: every
// value the template needs is there, in the shape its kind is sent in. What is sent for each kind:
//   body / header / URL / copy-code parameters: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components
//   flow buttons: https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/sendingaflow
//   catalog buttons: https://developers.facebook.com/documentation/business-messaging/whatsapp/catalogs/catalog-template-messages
//   authentication: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/authentication-templates/copy-code-button-authentication-templates
//   limited-time offers: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/limited-time-offer-templates
//   media card carousels: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/media-card-carousel-templates
// Answers (code, title, HTTP 400) from https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes:
// 131008 "Required parameter is missing", 131009 "Parameter value is not valid", 132000 "Template
// Param Count Mismatch" (its message as the API words it), 132012 "Template Parameter Format
// Mismatch" (likewise). `details` are the stand-in's own words: Meta documents no fixed text for them.

const answer = (code: number, message: string, details: string): GraphErrorAnswer => ({
  status: 400, error: { message: `(#${code}) ${message}`, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details } },
});
export const templateErrors = {
  missing: (details: string) => answer(131008, 'Required parameter is missing', details),
  invalid: (details: string) => answer(131009, 'Parameter value is not valid', details),
  count: (details: string) => answer(132000, 'Number of parameters does not match the expected number of params', details),
  format: (details: string) => answer(132012, 'Parameter format does not match format in the created template', details),
};

type Sent = Record<string, any>;
const of = (components: StandInComponent[] | undefined, type: string) => (components ?? []).find((c) => c.type.toUpperCase() === type);
const sentOf = (components: Sent[], type: string) => components.filter((c) => String(c?.type).toLowerCase() === type);
const placeholders = (text: string | undefined) => new Set([...(text ?? '').matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/gi)].map((m) => m[1])).size;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const filled = (v: unknown) => typeof v === 'string' && v.trim() !== '';
const isOtp = (b: { type: string; url?: string }) => b.type.toUpperCase() === 'OTP' || (b.type.toUpperCase() === 'URL' && /^https:\/\/www\.whatsapp\.com\/otp\/code\//.test(b.url ?? ''));

/** A body's parameters against its placeholders (132000), each a filled text (131008). */
function checkBody(where: string, text: string | undefined, sent: Sent[]): GraphErrorAnswer | null {
  const params: Sent[] = sentOf(sent, 'body')[0]?.parameters ?? [];
  const expected = placeholders(text);
  if (params.length !== expected) return templateErrors.count(`${where}body: number of localizable_params (${params.length}) does not match the expected number of params (${expected})`);
  const empty = params.findIndex((p) => p?.type === 'text' && !filled(p.text));
  return empty >= 0 ? templateErrors.missing(`${where}body: parameter ${empty + 1} has no text`) : null;
}

/** A media header's parameter of the header's format (132012 as Meta words a missing one). */
function checkHeader(where: string, header: StandInComponent | undefined, sent: Sent[]): GraphErrorAnswer | null {
  const format = header?.format?.toUpperCase();
  if (!format || !['IMAGE', 'VIDEO', 'DOCUMENT'].includes(format)) return null;
  const p = sentOf(sent, 'header')[0]?.parameters?.[0];
  const type = String(p?.type ?? 'unknown').toUpperCase();
  if (type !== format) return templateErrors.format(`${where}header: Format mismatch, expected ${format}, received ${type}`);
  const media = p[format.toLowerCase()];
  return filled(media?.link) || filled(media?.id) ? null : templateErrors.missing(`${where}header: the ${format.toLowerCase()} has no link or id`);
}

/** Each button that takes a value has its component, of its type, with its value. */
function checkButtons(where: string, buttons: StandInComponent['buttons'], sent: Sent[]): GraphErrorAnswer | null {
  const given = sentOf(sent, 'button');
  for (const c of given) {
    if (!buttons?.[Number(c.index)]) return templateErrors.invalid(`${where}button at index ${c.index}: the template has no such button`);
  }
  for (const [index, b] of (buttons ?? []).entries()) {
    const type = b.type.toUpperCase();
    const c = given.find((x) => Number(x.index) === index);
    const subType = String(c?.sub_type ?? '').toUpperCase();
    const p = c?.parameters?.[0];
    const at = `${where}button at index ${index} of type ${type}`;
    if (type === 'URL' && /\{\{/.test(b.url ?? '')) {
      if (!c || !filled(p?.text)) return templateErrors.missing(`${at}: its URL parameter is missing`);
      if (subType !== 'URL') return templateErrors.format(`${at}: expected sub_type url, received ${c.sub_type}`);
    }
    if (type === 'COPY_CODE') {
      if (!c || !filled(p?.coupon_code)) return templateErrors.missing(`${at}: its coupon_code is missing`);
      if (subType !== 'COPY_CODE' || p.type !== 'coupon_code') return templateErrors.format(`${at}: expected sub_type copy_code with a coupon_code parameter`);
    }
    if (type === 'FLOW' && c) {
      if (subType !== 'FLOW' || p?.type !== 'action' || !isObject(p.action)) return templateErrors.format(`${at}: expected sub_type flow with an action parameter`);
      if ('flow_token' in p.action && !filled(p.action.flow_token)) return templateErrors.invalid(`${at}: flow_token must be a non-empty string`);
      if ('flow_action_data' in p.action && !isObject(p.action.flow_action_data)) return templateErrors.invalid(`${at}: flow_action_data must be a JSON object`);
    }
    if (type === 'CATALOG' && c) {
      if (subType !== 'CATALOG') return templateErrors.format(`${at}: expected sub_type catalog, received ${c.sub_type}`);
      if (c.parameters !== undefined && (p?.type !== 'action' || !filled(p?.action?.thumbnail_product_retailer_id))) return templateErrors.invalid(`${at}: thumbnail_product_retailer_id must be a product's retailer id`);
    }
    if (type === 'QUICK_REPLY' && c && (subType !== 'QUICK_REPLY' || p?.type !== 'payload')) return templateErrors.format(`${at}: expected sub_type quick_reply with a payload parameter`);
  }
  return null;
}

/** The one-time code: the body's parameter and the button's, each at most 15 characters. */
function checkAuthentication(sent: Sent[]): GraphErrorAnswer | null {
  const body = sentOf(sent, 'body')[0]?.parameters?.[0]?.text;
  const button = sentOf(sent, 'button').find((c) => Number(c.index) === 0);
  if (!filled(body)) return templateErrors.missing('body: the one-time password is missing');
  if (!button || String(button.sub_type).toLowerCase() !== 'url' || !filled(button.parameters?.[0]?.text)) return templateErrors.missing('button at index 0 of type URL: the one-time password is missing');
  if (body.length > 15 || button.parameters[0].text.length > 15) return templateErrors.invalid('the one-time password has more than 15 characters');
  return null;
}

function checkOffer(offer: StandInComponent | undefined, sent: Sent[]): GraphErrorAnswer | null {
  if (!offer?.limited_time_offer?.has_expiration) return null;
  const p = sentOf(sent, 'limited_time_offer')[0]?.parameters?.[0];
  if (p?.type !== 'limited_time_offer' || p.limited_time_offer?.expiration_time_ms === undefined) return templateErrors.missing('limited_time_offer: expiration_time_ms is missing');
  const ms = p.limited_time_offer.expiration_time_ms;
  return Number.isInteger(ms) && ms > 0 ? null : templateErrors.invalid('limited_time_offer: expiration_time_ms must be a UNIX timestamp in milliseconds');
}

function checkCarousel(carousel: StandInComponent | undefined, sent: Sent[]): GraphErrorAnswer | null {
  if (!carousel) return null;
  const cards: Sent[] = sentOf(sent, 'carousel')[0]?.cards ?? [];
  const defined = carousel.cards ?? [];
  // "An approved template can only be used to send the same number of cards as defined during its creation."
  if (cards.length !== defined.length) return templateErrors.count(`carousel: number of cards (${cards.length}) does not match the expected number of cards (${defined.length})`);
  for (const [i, card] of defined.entries()) {
    const given = cards.find((c) => Number(c?.card_index) === i);
    if (!given) return templateErrors.missing(`carousel: card_index ${i} is missing`);
    const where = `card ${i}: `;
    const components: Sent[] = given.components ?? [];
    const problem = checkHeader(where, of(card.components, 'HEADER'), components) ?? checkBody(where, of(card.components, 'BODY')?.text, components) ?? checkButtons(where, of(card.components, 'BUTTONS')?.buttons, components);
    if (problem) return problem;
  }
  return null;
}

/** Meta's answer to a send of `template` with these components, or null when it would take it. */
export function templateSendProblem(template: StandInTemplate, sent: unknown): GraphErrorAnswer | null {
  const components: Sent[] = Array.isArray(sent) ? sent : [];
  const buttons = of(template.components, 'BUTTONS')?.buttons ?? [];
  if (buttons.some(isOtp)) return checkAuthentication(components);
  return checkHeader('', of(template.components, 'HEADER'), components)
    ?? checkBody('', of(template.components, 'BODY')?.text, components)
    ?? checkOffer(of(template.components, 'LIMITED_TIME_OFFER'), components)
    ?? checkCarousel(of(template.components, 'CAROUSEL'), components)
    ?? checkButtons('', buttons, components);
}
