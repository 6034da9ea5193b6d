import { SEND_BUTTONS_MAX } from '../../lib/contracts/choice-limits';
import { REPLY_LIMITS } from '../../lib/contracts/reply-limits';
import { MESSAGE_MEDIA_TYPES, MESSENGER_TAGS, SEND_MESSAGE_KINDS } from '../../lib/contracts/steps';
import type { StepConfigDraft, StepEditorProps } from './draft-types';
import { Field } from './Field';
import { TemplateInput } from './TemplateInput';
import { WhatsAppTemplateFields } from './WhatsAppTemplateFields';

type Config = StepConfigDraft<'send_message'>;
// Publishing checks the length of a message written without variables; one with variables is known only when sent.
const BUTTONS_HINT = `WhatsApp takes at most ${REPLY_LIMITS.whatsapp_buttons.toLocaleString('en-US')} characters above reply buttons, Messenger ${REPLY_LIMITS.messenger.toLocaleString('en-US')} (quick replies): a longer message fails the step on that channel. With variables, the length is known only when it is sent.`;
const KIND_LABELS: Record<(typeof SEND_MESSAGE_KINDS)[number], string> = {
  text: 'Text', media: 'Image, document or video (by link)', buttons: 'Text with reply buttons', template: 'WhatsApp template',
};

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
              ...(k === 'media' && !config.media ? { media: { type: 'image', url: '' } } : {}), ...(k === 'template' && !config.template ? { template: { name: '', language: 'en_US', parameters: [] } } : {}),
              // A WhatsApp template has no Messenger messaging type: one chosen before is not kept unseen.
              ...(k === 'template' ? { messenger: undefined } : {}) });
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
          placeholder="Hi {{$contact.firstName}}, …" onChange={(text) => set({ text })}
          {...(kind === 'media' ? { hint: 'On WhatsApp it shows under the file. Messenger files carry no caption: it goes as a text message right after the file.' } : {})}
          {...(kind === 'buttons' ? { hint: BUTTONS_HINT } : {})} />
      )}
      {kind === 'buttons' && (
        <fieldset className="group">
          <legend>Reply buttons (up to 3 of 20 characters; up to 10 of 24 go as a WhatsApp list)</legend>
          {buttons.map((b, i) => (
            <div key={i} className="row">
              <Field label={`Button ${i + 1}`} path={`${path}.buttons.${i}.title`}>
                {(p) => <input {...p} value={b.title} onChange={(e) => set({ buttons: buttons.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)) })} />}
              </Field>
              <button type="button" onClick={() => set({ buttons: buttons.filter((_, j) => j !== i) })} aria-label={`Remove button ${i + 1}`}>Remove</button>
            </div>
          ))}
          {buttons.length < SEND_BUTTONS_MAX && <button type="button" onClick={() => set({ buttons: [...buttons, { title: '' }] })}>Add button</button>}
        </fieldset>
      )}
      {kind === 'template' && <WhatsAppTemplateFields label="Template" value={config.template} path={`${path}.template`} index={index} onChange={(template) => set({ template })} />}
      {kind !== 'template' && (
        config.fallbackTemplate
          ? <>
            <WhatsAppTemplateFields label="Fallback template (WhatsApp, when the 24-hour window is closed)" value={config.fallbackTemplate} path={`${path}.fallbackTemplate`} index={index} onChange={(fallbackTemplate) => set({ fallbackTemplate })} />
            <button type="button" onClick={() => set({ fallbackTemplate: undefined })}>Remove fallback template</button>
          </>
          : <button type="button" onClick={() => set({ fallbackTemplate: { name: '', language: 'en_US', parameters: [] } })}>Add a fallback template</button>
      )}
      {/* Messenger's messaging type: a WhatsApp template never goes to Messenger. */}
      {kind !== 'template' && <MessengerTypeFields config={config} path={path} set={set} />}
    </>
  );
}

function MessengerTypeFields({ config, path, set }: { config: Config; path: string; set(patch: Partial<Config>): void }) {
  return (
    <>
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
