import { Field } from './Field';
import { TemplateInput } from './TemplateInput';
import { templateFromPick, typedByHand, type TemplateDraft } from './template-pick';
import { AuthenticationCodeField, CarouselFields, OfferEndField, TemplateButtonFields } from './WhatsAppTemplateKinds';
import { WhatsAppTemplatePicker } from './WhatsAppTemplatePicker';

const LOCATION_LABELS = { latitude: 'Latitude (e.g. 37.4847)', longitude: 'Longitude (e.g. -122.1477)', name: 'Place name (optional)', address: 'Address (optional)' } as const;

/** An approved WhatsApp template: picked from Meta's list (or typed), with the values it takes. */
export function WhatsAppTemplateFields({ label, value, path, index, onChange }: { label: string; value: TemplateDraft | undefined; path: string; index: number; onChange(t: TemplateDraft): void }) {
  const t = value ?? { name: '', language: 'en_US', parameters: [] };
  const params = t.parameters ?? [];
  // Named parameters come with the template picked: as many as it has, each with its name.
  const names = t.parameterNames;
  const header = t.header;
  // An authentication template's body takes only its code.
  const positional = !names && t.code === undefined;
  const kinds = { t, path, index, onChange };
  return (
    <fieldset className="group">
      <legend>{label}</legend>
      <WhatsAppTemplatePicker name={t.name} language={t.language} parameterCount={params.length} onPick={(picked) => onChange(templateFromPick(picked, t))} />
      {/* Typed by hand, it is another template: its parameters are positional unless picked. */}
      <Field label="Template name" path={`${path}.name`} hint="As approved in WhatsApp Manager">
        {(p) => <input {...p} value={t.name} onChange={(e) => onChange(typedByHand(t, { name: e.target.value }))} />}
      </Field>
      <Field label="Language code" path={`${path}.language`}>
        {(p) => <input {...p} value={t.language} onChange={(e) => onChange(typedByHand(t, { language: e.target.value }))} />}
      </Field>
      <AuthenticationCodeField {...kinds} />
      {header?.type === 'text' && (
        <TemplateInput label={`Header {{${header.parameterName ?? 1}}}`} value={header.text} path={`${path}.header.text`} stepIndex={index}
          onChange={(text) => onChange({ ...t, header: { ...header, text } })} />
      )}
      {header?.type === 'location' && (
        <div className="group" role="group" aria-label="Header location (the map)">
          <p className="hint">The map in the header: where it points, and the name and address shown under it.</p>
          {(['latitude', 'longitude', 'name', 'address'] as const).map((key) => (
            <TemplateInput key={key} label={LOCATION_LABELS[key]} value={header[key] ?? ''} path={`${path}.header.${key}`} stepIndex={index}
              onChange={(v) => onChange({ ...t, header: { ...header, [key]: key === 'name' || key === 'address' ? (v || undefined) : v } })} />
          ))}
        </div>
      )}
      {header && header.type !== 'text' && header.type !== 'location' && (
        <TemplateInput label={`Header ${header.type} link (https)`} value={header.url} path={`${path}.header.url`} stepIndex={index}
          onChange={(url) => onChange({ ...t, header: { ...header, url } })} />
      )}
      {params.map((v, i) => (
        <div key={i} className="row">
          <TemplateInput label={`Parameter {{${names?.[i] ?? i + 1}}}`} value={v} path={`${path}.parameters.${i}`} stepIndex={index}
            onChange={(text) => onChange({ ...t, parameters: params.map((x, j) => (j === i ? text : x)) })} />
          {positional && <button type="button" onClick={() => onChange({ ...t, parameters: params.filter((_, j) => j !== i) })} aria-label={`Remove parameter ${i + 1}`}>Remove</button>}
        </div>
      ))}
      {positional && params.length < 20 && <button type="button" onClick={() => onChange({ ...t, parameters: [...params, ''] })}>Add parameter</button>}
      <OfferEndField {...kinds} />
      <CarouselFields {...kinds} />
      <TemplateButtonFields {...kinds} />
    </fieldset>
  );
}
