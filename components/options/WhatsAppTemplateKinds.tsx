import { TemplateInput } from './TemplateInput';
import type { TemplateDraft } from './template-pick';

// The values some kinds of WhatsApp template take beyond parameters and a header: a button's
// (a link's suffix, a code, a flow's token and data, a catalog's thumbnail), an authentication
// template's one-time code, a limited-time offer's end, each carousel card's.

interface Props {
  t: TemplateDraft;
  path: string;
  index: number;
  onChange(t: TemplateDraft): void;
}
type Button = NonNullable<TemplateDraft['buttons']>[number];
type Card = NonNullable<TemplateDraft['carousel']>['cards'][number];

/** An optional value: cleared, it is left out rather than sent empty. */
const optional = (v: string) => (v.trim() ? v : undefined);

export function TemplateButtonFields({ t, path, index, onChange }: Props) {
  const set = (i: number, b: Button) => onChange({ ...t, buttons: t.buttons!.map((x, j) => (j === i ? b : x)) });
  return (t.buttons ?? []).map((b, i) => {
    const at = `${path}.buttons.${i}`;
    const n = b.index + 1;
    switch (b.type) {
      case 'flow': return (
        <div key={`flow-${b.index}`} className="group" role="group" aria-label={`Button ${n}: a WhatsApp Flow`}>
          <TemplateInput label={`Button ${n}: flow token (optional)`} value={b.flowToken ?? ''} path={`${at}.flowToken`} stepIndex={index}
            hint="Comes back with the customer's answers, to tell this send apart; left empty, Meta sends “unused”"
            onChange={(v) => set(i, { ...b, flowToken: optional(v) })} />
          <TemplateInput label={`Button ${n}: data for the flow's first screen (optional)`} multiline value={b.flowActionData ?? ''} path={`${at}.flowActionData`} stepIndex={index}
            placeholder={'{"name": "{{$contact.firstName}}"}'} hint="A JSON object; a {{…}} inside quotes inserts text, outside quotes a whole value"
            onChange={(v) => set(i, { ...b, flowActionData: optional(v) })} />
        </div>
      );
      case 'catalog': return (
        <TemplateInput key={`catalog-${b.index}`} label={`Button ${n}: thumbnail product's retailer id (optional)`} value={b.thumbnailProductRetailerId ?? ''}
          path={`${at}.thumbnailProductRetailerId`} stepIndex={index} hint="Its Content ID in Commerce Manager; left empty, the catalog's first product heads the message"
          onChange={(v) => set(i, { ...b, thumbnailProductRetailerId: optional(v) })} />
      );
      default: return (
        <TemplateInput key={`${b.type}-${b.index}`} label={b.type === 'url' ? `Button ${n}: end of its link ({{1}})` : `Button ${n}: code to copy`}
          value={b.value} path={`${at}.value`} stepIndex={index} onChange={(value) => set(i, { ...b, value })} />
      );
    }
  });
}

export function AuthenticationCodeField({ t, path, index, onChange }: Props) {
  if (t.code === undefined) return null;
  return (
    <TemplateInput label="One-time code" value={t.code} path={`${path}.code`} stepIndex={index} placeholder="{{$trigger.variables.code}}"
      hint="Sent in the message and in its copy-code or autofill button; at most 15 characters"
      onChange={(code) => onChange({ ...t, code })} />
  );
}

export function OfferEndField({ t, path, index, onChange }: Props) {
  if (!t.limitedTimeOffer) return null;
  return (
    <TemplateInput label="Offer ends" value={t.limitedTimeOffer.expiresAt} path={`${path}.limitedTimeOffer.expiresAt`} stepIndex={index} placeholder="2026-12-31T23:59:00Z"
      hint="A date and time with its zone, a Unix time in milliseconds, or a {{…}} that gives one; the message counts down to it"
      onChange={(expiresAt) => onChange({ ...t, limitedTimeOffer: { expiresAt } })} />
  );
}

function CardFields({ card, n, path, index, onChange }: { card: Card; n: number; path: string; index: number; onChange(c: Card): void }) {
  const params = card.parameters ?? [];
  return (
    <fieldset className="group">
      <legend>Card {n}</legend>
      <TemplateInput label={`Card ${n}: ${card.header.type} link (https)`} value={card.header.url} path={`${path}.header.url`} stepIndex={index}
        onChange={(url) => onChange({ ...card, header: { ...card.header, url } })} />
      {params.map((v, i) => (
        <TemplateInput key={i} label={`Card ${n}: parameter {{${card.parameterNames?.[i] ?? i + 1}}}`} value={v} path={`${path}.parameters.${i}`} stepIndex={index}
          onChange={(text) => onChange({ ...card, parameters: params.map((x, j) => (j === i ? text : x)) })} />
      ))}
      {(card.buttons ?? []).map((b, i) => (b.type === 'url'
        ? <TemplateInput key={i} label={`Card ${n} button ${b.index + 1}: end of its link ({{1}})`} value={b.value} path={`${path}.buttons.${i}.value`} stepIndex={index}
          onChange={(value) => onChange({ ...card, buttons: card.buttons!.map((x, j) => (j === i ? { ...b, value } : x)) })} />
        : <TemplateInput key={i} label={`Card ${n} button ${b.index + 1}: reply payload (optional)`} value={b.payload ?? ''} path={`${path}.buttons.${i}.payload`} stepIndex={index}
          hint="Comes back with the customer's tap"
          onChange={(v) => onChange({ ...card, buttons: card.buttons!.map((x, j) => (j === i ? { ...b, payload: optional(v) } : x)) })} />))}
    </fieldset>
  );
}

export function CarouselFields({ t, path, index, onChange }: Props) {
  if (!t.carousel) return null;
  const cards = t.carousel.cards;
  return cards.map((card, i) => (
    <CardFields key={i} card={card} n={i + 1} path={`${path}.carousel.cards.${i}`} index={index}
      onChange={(c) => onChange({ ...t, carousel: { cards: cards.map((x, j) => (j === i ? c : x)) } })} />
  ));
}
