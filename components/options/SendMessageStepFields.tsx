import { MESSAGE_MEDIA_TYPES, MESSENGER_TAGS, SEND_MESSAGE_KINDS } from '../../lib/contracts/steps';
import type { WhatsAppTemplate } from '../../lib/contracts/channels';
import type { StepConfigDraft, StepEditorProps } from './draft-types';
import { Field } from './Field';
import { TemplateInput } from './TemplateInput';
import { WhatsAppTemplatePicker } from './WhatsAppTemplatePicker';

type Config = StepConfigDraft<'send_message'>;
type Template = NonNullable<Config['template']>;
const KIND_LABELS: Record<(typeof SEND_MESSAGE_KINDS)[number], string> = {
  text: 'Text', media: 'Image, document or video (by link)', buttons: 'Text with reply buttons', template: 'WhatsApp template',
};

type Header = NonNullable<Template['header']>;
const LOCATION_LABELS = { latitude: 'Latitude (e.g. 37.4847)', longitude: 'Longitude (e.g. -122.1477)', name: 'Place name (optional)', address: 'Address (optional)' } as const;

/** The header a picked template needs, keeping what was typed for a header of the same kind. */
function headerFor(needs: WhatsAppTemplate['header'], had: Header | undefined): Header | undefined {
  if (!needs) return undefined;
  switch (needs.type) {
    case 'text': return { type: 'text', text: had?.type === 'text' ? had.text : '', ...(needs.parameterName ? { parameterName: needs.parameterName } : {}) };
    case 'location': return had?.type === 'location' ? had : { type: 'location', latitude: '', longitude: '' };
    default: return { type: needs.type, url: had && had.type !== 'text' && had.type !== 'location' ? had.url : '' };
  }
}

function TemplateFields({ label, value, path, index, onChange }: { label: string; value: Template | undefined; path: string; index: number; onChange(t: Template | undefined): void }) {
  const t = value ?? { name: '', language: 'en_US', parameters: [] };
  const params = t.parameters ?? [];
  // Named parameters come with the template picked: as many as it has, each with its name.
  const names = t.parameterNames;
  const header = t.header;
  return (
    <fieldset className="group">
      <legend>{label}</legend>
      <WhatsAppTemplatePicker name={t.name} language={t.language} parameterCount={params.length}
        onPick={(picked) => onChange({
          ...t, name: picked.name, language: picked.language, parameters: Array.from({ length: picked.parameterCount }, (_, i) => params[i] ?? ''),
          parameterNames: picked.parameterNames ?? undefined,
          header: headerFor(picked.header, t.header),
          buttons: picked.buttons.length
            ? picked.buttons.map((b) => ({ index: b.index, type: b.type, value: t.buttons?.find((x) => x.index === b.index && x.type === b.type)?.value ?? '' }))
            : undefined,
        })} />
      {/* Typed by hand, it is another template: its parameters are positional unless picked. */}
      <Field label="Template name" path={`${path}.name`} hint="As approved in WhatsApp Manager">
        {(p) => <input {...p} value={t.name} onChange={(e) => onChange({ ...t, name: e.target.value, parameterNames: undefined, header: undefined, buttons: undefined })} />}
      </Field>
      <Field label="Language code" path={`${path}.language`}>
        {(p) => <input {...p} value={t.language} onChange={(e) => onChange({ ...t, language: e.target.value, parameterNames: undefined, header: undefined, buttons: undefined })} />}
      </Field>
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
          {!names && <button type="button" onClick={() => onChange({ ...t, parameters: params.filter((_, j) => j !== i) })} aria-label={`Remove parameter ${i + 1}`}>Remove</button>}
        </div>
      ))}
      {!names && params.length < 20 && <button type="button" onClick={() => onChange({ ...t, parameters: [...params, ''] })}>Add parameter</button>}
      {(t.buttons ?? []).map((b, i) => (
        <TemplateInput key={`${b.type}-${b.index}`} label={b.type === 'url' ? `Button ${b.index + 1}: end of its link ({{1}})` : `Button ${b.index + 1}: code to copy`}
          value={b.value} path={`${path}.buttons.${i}.value`} stepIndex={index}
          onChange={(value) => onChange({ ...t, buttons: t.buttons!.map((x, j) => (j === i ? { ...x, value } : x)) })} />
      ))}
    </fieldset>
  );
}

/** send_message: text by default; on WhatsApp / Messenger conversations also media, buttons and templates. */
export function SendMessageStepFields({ config, onChange, path, index }: StepEditorProps<'send_message'>) {
  const kind = config.kind ?? 'text';
  const set = (patch: Partial<Config>) => onChange({ ...config, ...patch });
  const buttons = config.buttons ?? [];
  return (
    <>
      <Field label="Message type" path={`${path}.kind`} hint="Media, buttons and templates reach WhatsApp / Messenger customers; the built-in inbox shows them as text">
        {(p) => (
          <select {...p} value={kind} onChange={(e) => {
            const k = e.target.value as Config['kind'];
            set({ kind: k === 'text' ? undefined : k, ...(k === 'buttons' && !config.buttons ? { buttons: [{ title: '' }] } : {}),
              ...(k === 'media' && !config.media ? { media: { type: 'image', url: '' } } : {}), ...(k === 'template' && !config.template ? { template: { name: '', language: 'en_US', parameters: [] } } : {}) });
          }}>
            {SEND_MESSAGE_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
          </select>
        )}
      </Field>
      {kind === 'media' && (
        <>
          <Field label="File type" path={`${path}.media.type`}>
            {(p) => (
              <select {...p} value={config.media?.type ?? 'image'} onChange={(e) => set({ media: { url: '', ...config.media, type: e.target.value as 'image' } })}>
                {MESSAGE_MEDIA_TYPES.map((t) => <option key={t}>{t}</option>)}
              </select>
            )}
          </Field>
          <TemplateInput label="File link (https)" value={config.media?.url ?? ''} path={`${path}.media.url`} stepIndex={index}
            onChange={(url) => set({ media: { type: 'image', ...config.media, url } })} />
        </>
      )}
      {kind !== 'template' && (
        <TemplateInput label={kind === 'media' ? 'Caption' : 'Message'} multiline value={config.text ?? ''} path={`${path}.text`} stepIndex={index}
          placeholder="Hi {{$contact.firstName}}, …" onChange={(text) => set({ text })} />
      )}
      {kind === 'buttons' && (
        <fieldset className="group">
          <legend>Reply buttons (up to 3)</legend>
          {buttons.map((b, i) => (
            <div key={i} className="row">
              <Field label={`Button ${i + 1}`} path={`${path}.buttons.${i}.title`}>
                {(p) => <input {...p} maxLength={20} value={b.title} onChange={(e) => set({ buttons: buttons.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)) })} />}
              </Field>
              <button type="button" onClick={() => set({ buttons: buttons.filter((_, j) => j !== i) })} aria-label={`Remove button ${i + 1}`}>Remove</button>
            </div>
          ))}
          {buttons.length < 3 && <button type="button" onClick={() => set({ buttons: [...buttons, { title: '' }] })}>Add button</button>}
        </fieldset>
      )}
      {kind === 'template' && <TemplateFields label="Template" value={config.template} path={`${path}.template`} index={index} onChange={(template) => set({ template })} />}
      {kind !== 'template' && (
        config.fallbackTemplate
          ? <>
            <TemplateFields label="Fallback template (WhatsApp, when the 24-hour window is closed)" value={config.fallbackTemplate} path={`${path}.fallbackTemplate`} index={index} onChange={(fallbackTemplate) => set({ fallbackTemplate })} />
            <button type="button" onClick={() => set({ fallbackTemplate: undefined })}>Remove fallback template</button>
          </>
          : <button type="button" onClick={() => set({ fallbackTemplate: { name: '', language: 'en_US', parameters: [] } })}>Add a fallback template</button>
      )}
      <Field label="Messenger messaging type" path={`${path}.messenger.messagingType`} hint="Outside the 24-hour window Messenger only takes a tagged message">
        {(p) => (
          <select {...p} value={config.messenger?.messagingType ?? 'RESPONSE'} onChange={(e) => {
            const messagingType = e.target.value as 'RESPONSE';
            set({ messenger: messagingType === 'RESPONSE' ? undefined : { messagingType, ...(messagingType === 'MESSAGE_TAG' ? { tag: config.messenger?.tag ?? 'HUMAN_AGENT' } : {}) } });
          }}>
            <option value="RESPONSE">RESPONSE (reply within 24 hours)</option>
            <option value="UPDATE">UPDATE</option>
            <option value="MESSAGE_TAG">MESSAGE_TAG (outside the window)</option>
          </select>
        )}
      </Field>
      {config.messenger?.messagingType === 'MESSAGE_TAG' && (
        <Field label="Message tag" path={`${path}.messenger.tag`}>
          {(p) => (
            <select {...p} value={config.messenger?.tag ?? 'HUMAN_AGENT'} onChange={(e) => set({ messenger: { messagingType: 'MESSAGE_TAG', tag: e.target.value as 'HUMAN_AGENT' } })}>
              {MESSENGER_TAGS.map((t) => <option key={t}>{t}</option>)}
            </select>
          )}
        </Field>
      )}
    </>
  );
}
