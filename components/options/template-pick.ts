import type { WhatsAppTemplate } from '../../lib/contracts/channels';
import type { StepConfigDraft } from './draft-types';

// A template picked from Meta's list becomes the step's template: one slot per value it needs
// (parameters, header, button values, a one-time code, an offer's end, each carousel card's),
// keeping what was typed for a slot of the same kind in the same place.

export type TemplateDraft = NonNullable<StepConfigDraft<'send_message'>['template']>;
type Header = NonNullable<TemplateDraft['header']>;
type Button = NonNullable<TemplateDraft['buttons']>[number];
type Card = NonNullable<TemplateDraft['carousel']>['cards'][number];
type CardButton = NonNullable<Card['buttons']>[number];

const slots = (count: number, had: readonly string[] | undefined) => Array.from({ length: count }, (_, i) => had?.[i] ?? '');

function headerFor(needs: WhatsAppTemplate['header'], had: Header | undefined): Header | undefined {
  if (!needs) return undefined;
  switch (needs.type) {
    case 'text': return { type: 'text', text: had?.type === 'text' ? had.text : '', ...(needs.parameterName ? { parameterName: needs.parameterName } : {}) };
    case 'location': return had?.type === 'location' ? had : { type: 'location', latitude: '', longitude: '' };
    default: return { type: needs.type, url: had && had.type !== 'text' && had.type !== 'location' ? had.url : '' };
  }
}

function buttonFor(needs: WhatsAppTemplate['buttons'][number], had: readonly Button[] | undefined): Button {
  const same = had?.find((x) => x.index === needs.index && x.type === needs.type);
  switch (needs.type) {
    // A flow's token and data and a catalog's thumbnail are optional: left out until typed.
    case 'flow': return same?.type === 'flow' ? same : { index: needs.index, type: 'flow' };
    case 'catalog': return same?.type === 'catalog' ? same : { index: needs.index, type: 'catalog' };
    default: return { index: needs.index, type: needs.type, value: same && 'value' in same ? same.value : '' };
  }
}

function cardFor(needs: NonNullable<WhatsAppTemplate['carousel']>['cards'][number], had: Card | undefined): Card {
  const button = (b: (typeof needs.buttons)[number]): CardButton => {
    const same = had?.buttons?.find((x) => x.index === b.index && x.type === b.type);
    return b.type === 'url' ? { index: b.index, type: 'url', value: same?.type === 'url' ? same.value : '' } : same ?? { index: b.index, type: 'quick_reply' };
  };
  return {
    header: { type: needs.header, url: had?.header.type === needs.header ? had.header.url : '' },
    parameters: slots(needs.parameterCount, had?.parameters),
    ...(needs.parameterNames ? { parameterNames: needs.parameterNames } : {}),
    ...(needs.buttons.length ? { buttons: needs.buttons.map(button) } : {}),
  };
}

export function templateFromPick(picked: WhatsAppTemplate, had: TemplateDraft): TemplateDraft {
  const header = headerFor(picked.header, had.header);
  return {
    name: picked.name, language: picked.language,
    parameters: slots(picked.parameterCount, had.parameters),
    ...(picked.parameterNames ? { parameterNames: picked.parameterNames } : {}),
    ...(header ? { header } : {}),
    ...(picked.buttons.length ? { buttons: picked.buttons.map((b) => buttonFor(b, had.buttons)) } : {}),
    ...(picked.authentication ? { code: had.code ?? '' } : {}),
    // Without its end shown (has_expiration false) the offer takes nothing from the step.
    ...(picked.limitedTimeOffer?.hasExpiration ? { limitedTimeOffer: { expiresAt: had.limitedTimeOffer?.expiresAt ?? '' } } : {}),
    ...(picked.carousel ? { carousel: { cards: picked.carousel.cards.map((c, i) => cardFor(c, had.carousel?.cards[i])) } } : {}),
  };
}

/** A name or language typed by hand is another template: nothing of the picked one's needs is kept. */
export const typedByHand = (t: TemplateDraft, patch: Pick<TemplateDraft, 'name'> | Pick<TemplateDraft, 'language'>): TemplateDraft => {
  const { parameterNames: _n, header: _h, buttons: _b, code: _c, limitedTimeOffer: _o, carousel: _k, ...kept } = t;
  return { ...kept, ...patch };
};
