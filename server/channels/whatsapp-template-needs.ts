import type { WhatsAppTemplate } from '../../lib/contracts/channels';

// What a template read from Meta needs from the Send message step, or why a workflow cannot send it.
// Components as GET /{waba-id}/message_templates returns them (HEADER formats, BODY, BUTTONS types;
// POSITIONAL and NAMED parameters): https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components
// A LOCATION header's place is given at send time: .../templates/utility-templates/location-templates/
// FLOW buttons: .../whatsapp/flows/guides/sendingaflow; CATALOG buttons: .../whatsapp/catalogs/catalog-template-messages
// Authentication: the OTP button is created as type OTP "but upon creation the button type will be set
// to URL" (.../templates/authentication-templates/copy-code-button-authentication-templates), its link
// https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE|ONE_TAP|ZERO_TAP&…&code=otp{{1}}.
// LIMITED_TIME_OFFER {text, has_expiration}: .../templates/marketing-templates/limited-time-offer-templates
// CAROUSEL cards (image or video header, body, QUICK_REPLY / URL / PHONE_NUMBER buttons):
// .../templates/marketing-templates/media-card-carousel-templates

export interface GraphButton { type?: string; text?: string; url?: string; otp_type?: string }
export interface GraphComponent {
  type?: string; format?: string; text?: string; buttons?: GraphButton[];
  limited_time_offer?: { text?: string; has_expiration?: boolean };
  cards?: { components?: GraphComponent[] }[];
}
export interface GraphTemplate { id?: string; name?: string; language?: string; status?: string; category?: string; parameter_format?: string; components?: GraphComponent[] }

type Needs = Omit<WhatsAppTemplate, 'id' | 'name' | 'language' | 'status' | 'category' | 'body' | 'notSendable'>;
const OTP_TYPES = ['copy_code', 'one_tap', 'zero_tap'] as const satisfies readonly NonNullable<WhatsAppTemplate['authentication']>['otpType'][];

const MAX_PARAMETERS = 20;
const an = (word: string) => (/^[AEIOU]/i.test(word) ? 'an' : 'a');
const ofType = (components: GraphComponent[] | undefined, type: string) => (components ?? []).find((c) => c.type?.toUpperCase() === type);
const variable = (text: string | undefined) => /\{\{/.test(text ?? '');

/** A body's parameters: positional {{1}}…{{n}}, or named ones each once in order. */
function bodyNeeds(body: string | null, parameterFormat: string | undefined, reasons: string[]) {
  const positions = [...(body ?? '').matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));
  const names = [...new Set([...(body ?? '').matchAll(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g)].map((m) => m[1]!))];
  const named = parameterFormat?.toUpperCase() === 'NAMED' || names.length > 0;
  const count = named ? names.length : positions.length === 0 ? 0 : Math.max(...positions);
  if (count > MAX_PARAMETERS && !reasons.includes('it takes more than 20 parameters')) reasons.push('it takes more than 20 parameters');
  return { parameterCount: count, parameterNames: named ? names : null };
}

/** The one-time-password button of an authentication template, and its kind; null for any other button. */
function otpTypeOf(b: GraphButton): string | null {
  const type = b.type?.toUpperCase();
  if (type === 'OTP') return (b.otp_type ?? 'COPY_CODE').toLowerCase();
  if (type === 'URL' && /^https:\/\/www\.whatsapp\.com\/otp\/code\//i.test(b.url ?? '')) return (/[?&]otp_type=([a-z_]+)/i.exec(b.url!)?.[1] ?? 'COPY_CODE').toLowerCase();
  return null;
}

function headerNeeds(header: GraphComponent | undefined, reasons: string[]): WhatsAppTemplate['header'] {
  const format = header?.format?.toUpperCase();
  if (!format) return null;
  if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT' || format === 'LOCATION') return { type: format.toLowerCase() as 'image' | 'video' | 'document' | 'location', parameterName: null };
  if (format !== 'TEXT') {
    reasons.push(`its header needs ${an(format)} ${format.toLowerCase()}`);
    return null;
  }
  const param = /\{\{\s*([a-z0-9_]+)\s*\}\}/i.exec(header?.text ?? '')?.[1];
  return param ? { type: 'text', parameterName: /^\d+$/.test(param) ? null : param.toLowerCase() } : null;
}

function buttonNeeds(buttons: GraphButton[], reasons: string[]): WhatsAppTemplate['buttons'] {
  return buttons.flatMap((b, index): WhatsAppTemplate['buttons'] => {
    const type = b.type?.toUpperCase();
    const text = b.text ?? `Button ${index + 1}`;
    if (otpTypeOf(b)) return [];
    if (type === 'URL' && variable(b.url)) return [{ index, type: 'url', text }];
    if (type === 'COPY_CODE') return [{ index, type: 'copy_code', text: b.text ?? 'Copy code' }];
    if (type === 'FLOW') return [{ index, type: 'flow', text }];
    if (type === 'CATALOG') return [{ index, type: 'catalog', text: b.text ?? 'View catalog' }];
    // A multi-product button takes product sections the step does not hold.
    if (type === 'MPM') reasons.push('it has an MPM button (a multi-product message)');
    return [];
  });
}

function carouselNeeds(carousel: GraphComponent, parameterFormat: string | undefined, reasons: string[]): NonNullable<WhatsAppTemplate['carousel']> {
  const problems = new Set<string>();
  const cards = (carousel.cards ?? []).map((card) => {
    const format = ofType(card.components, 'HEADER')?.format?.toUpperCase() ?? '';
    if (format === 'PRODUCT') problems.add('its carousel cards show products (a product card carousel)');
    else if (format !== 'IMAGE' && format !== 'VIDEO') problems.add(`its carousel cards have ${format ? `${an(format)} ${format.toLowerCase()}` : 'no image or video'} header`);
    const body = ofType(card.components, 'BODY')?.text ?? null;
    const buttons = (ofType(card.components, 'BUTTONS')?.buttons ?? []).flatMap((b, index): NonNullable<WhatsAppTemplate['carousel']>['cards'][number]['buttons'] => {
      const type = b.type?.toUpperCase() ?? '';
      if (type === 'QUICK_REPLY') return [{ index, type: 'quick_reply', text: b.text ?? `Button ${index + 1}` }];
      if (type === 'URL') return variable(b.url) ? [{ index, type: 'url', text: b.text ?? `Button ${index + 1}` }] : [];
      if (type !== 'PHONE_NUMBER') problems.add(`its carousel cards have a button of type ${type}`);
      return [];
    });
    return { header: format === 'VIDEO' ? 'video' as const : 'image' as const, body, ...bodyNeeds(body, parameterFormat, reasons), buttons };
  });
  reasons.push(...problems);
  return { cards };
}

/** What the step gives to send `t`, and the reasons a workflow cannot send it (none: it can). */
export function templateNeeds(t: GraphTemplate): { needs: Needs; reasons: string[] } {
  const components = t.components ?? [];
  const reasons: string[] = [];
  if (t.status !== 'APPROVED') reasons.push(`its status is ${t.status ?? 'unknown'} (only approved templates are sent)`);
  const body = ofType(components, 'BODY')?.text ?? null;
  const buttons = ofType(components, 'BUTTONS')?.buttons ?? [];
  const otp = buttons.map(otpTypeOf).find((o): o is string => o !== null);
  if (otp) {
    // Its body is Meta's preset "{{1}} is your verification code", {{1}} being the code.
    const otpType = OTP_TYPES.find((k) => k === otp);
    if (!otpType) reasons.push(`its one-time password button is of a kind the step does not know (${otp})`);
    return { needs: { parameterCount: 0, parameterNames: null, header: null, buttons: [], authentication: { otpType: otpType ?? 'copy_code' }, limitedTimeOffer: null, carousel: null }, reasons };
  }
  const parameters = bodyNeeds(body, t.parameter_format, reasons);
  const header = headerNeeds(ofType(components, 'HEADER'), reasons);
  const valued = buttonNeeds(buttons, reasons);
  const offer = ofType(components, 'LIMITED_TIME_OFFER');
  const carousel = ofType(components, 'CAROUSEL');
  return {
    needs: {
      ...parameters, header, buttons: valued, authentication: null,
      limitedTimeOffer: offer ? { text: offer.limited_time_offer?.text ?? null, hasExpiration: offer.limited_time_offer?.has_expiration === true } : null,
      carousel: carousel ? carouselNeeds(carousel, t.parameter_format, reasons) : null,
    },
    reasons,
  };
}

export function toTemplate(t: GraphTemplate): WhatsAppTemplate {
  const { needs, reasons } = templateNeeds(t);
  return {
    id: t.id ?? `${t.name}:${t.language}`, name: t.name!, language: t.language!, status: t.status ?? 'UNKNOWN', category: t.category ?? null,
    body: ofType(t.components, 'BODY')?.text ?? null,
    ...needs,
    notSendable: reasons.length ? `Not sendable from a workflow: ${reasons.join('; ')}` : null,
  };
}
