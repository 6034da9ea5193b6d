import { TRIGGER_TYPES, type TriggerInput, type TriggerType } from '../../lib/contracts/triggers';
import { AdPicker } from './AdPicker';
import { ConversationTriggerFields } from './ConversationTriggerFields';
import { Field } from './Field';
import { FieldPicker } from './FieldPicker';
import { MiniAppTriggerPicker } from './MiniAppTriggerPicker';
import { ShortcutTriggerFields } from './ShortcutTriggerFields';
import { TagTriggerFields } from './TagTriggerFields';
import { defaultTrigger, TRIGGER_LABELS } from './trigger-defaults';
import { WebhookTriggerFields } from './WebhookTriggerFields';

interface Props {
  trigger: TriggerInput;
  oncePerContact: boolean;
  workflowId: string | undefined;
  onChange(trigger: TriggerInput, oncePerContact: boolean): void;
}

/** The workflow's one trigger: its type, then that type's settings. */
export function TriggerEditor({ trigger, oncePerContact, workflowId, onChange }: Props) {
  const set = (t: TriggerInput) => onChange(t, oncePerContact);
  return (
    <section className="panel" aria-labelledby="trigger-heading">
      <h3 id="trigger-heading">Trigger</h3>
      <Field label="Trigger type" path="trigger.type">
        {(p) => (
          <select {...p} value={trigger.type} onChange={(e) => {
            const type = e.target.value as TriggerType;
            onChange(defaultTrigger(type), oncePerContact);
          }}>
            {TRIGGER_TYPES.map((t) => <option key={t} value={t}>{TRIGGER_LABELS[t]}</option>)}
          </select>
        )}
      </Field>
      <TriggerFields trigger={trigger} set={set} workflowId={workflowId} />
      <label className="check">
        <input type="checkbox" checked={oncePerContact} onChange={(e) => onChange(trigger, e.target.checked)} />
        Trigger once per contact
      </label>
    </section>
  );
}

function TriggerFields({ trigger, set, workflowId }: { trigger: TriggerInput; set(t: TriggerInput): void; workflowId: string | undefined }) {
  switch (trigger.type) {
    case 'conversation_opened':
    case 'conversation_closed':
      return <ConversationTriggerFields trigger={trigger} onChange={set} />;
    case 'contact_tag_updated':
      return <TagTriggerFields trigger={trigger} onChange={set} />;
    case 'contact_field_updated':
      return <FieldPicker standard value={trigger.field} path="trigger.field" label="When this contact field changes" onChange={(field) => set({ ...trigger, field })} />;
    case 'shortcut':
      return <ShortcutTriggerFields trigger={trigger} onChange={set} />;
    case 'incoming_webhook':
      return <WebhookTriggerFields trigger={trigger} onChange={set} workflowId={workflowId} />;
    case 'click_to_chat_ads':
      return <AdPicker trigger={trigger} onChange={set} />;
    case 'manual':
      return <p className="hint">Started only by a “Trigger workflow” step of another workflow; its variables (trigger and step) arrive flat as {'{{$trigger.<name>}}'}.</p>;
    case 'mini_app':
      return <MiniAppTriggerPicker trigger={trigger} onChange={set} />;
  }
}
