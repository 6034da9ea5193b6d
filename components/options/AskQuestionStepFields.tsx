import { ANSWER_TYPES, WRITABLE_STANDARD_FIELDS } from '../../lib/contracts/steps';
import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { FieldPicker } from './FieldPicker';
import { StepTargetSelect } from './StepTargetSelect';
import { TemplateInput } from './TemplateInput';

const TYPE_LABELS: Record<(typeof ANSWER_TYPES)[number], string> = {
  text: 'Text', number: 'Number', email: 'Email', phone: 'Phone number', date: 'Date', choice: 'One of the choices',
};
type Presentation = 'text' | 'buttons' | 'list';
/** What the customer sees on each channel (server/engine/steps/ask-delivery.ts questionSpec). */
const SEEN_AS: Record<Presentation, string> = {
  text: 'Everywhere: the question with the choices numbered 1, 2, 3…; the customer answers with a choice or its number.',
  buttons: 'WhatsApp: reply buttons under the question. Messenger: quick replies. Built-in inbox and Chatwoot: the choices numbered.',
  list: 'WhatsApp: a list message; its button opens the choices, one row each. Messenger: quick replies. Built-in inbox and Chatwoot: the choices numbered.',
};

/** Ask a Question: what to ask, how to check the reply, where to keep it, and where each outcome goes. */
export function AskQuestionStepFields({ config, onChange, path, index, stepId }: StepEditorProps<'ask_question'>) {
  const choices = config.choices ?? [];
  const minutes = Math.round((config.timeoutSeconds ?? 86_400) / 60);
  const presentation: Presentation = config.presentation ?? 'text';
  return (
    <>
      <TemplateInput label="Question" multiline value={config.question} path={`${path}.question`} stepIndex={index}
        placeholder="What is your order number?" onChange={(question) => onChange({ ...config, question })}
        hint="With no conversation open, it opens one first on the channel the contact last used, as Send a message does. WhatsApp takes a question only within 24 hours of the customer’s last message." />
      <div className="row">
        <Field label="Expected answer" path={`${path}.answerType`}>
          {(p) => (
            <select {...p} value={config.answerType} onChange={(e) => onChange({ ...config, answerType: e.target.value as typeof config.answerType })}>
              {ANSWER_TYPES.map((t) => <option key={t} value={t}>{TYPE_LABELS[t]}</option>)}
            </select>
          )}
        </Field>
        <Field label="Show choices as" path={`${path}.presentation`} hint={SEEN_AS[presentation]}>
          {(p) => (
            <select {...p} value={presentation} onChange={(e) => {
              const next = e.target.value as Presentation;
              const { listButton: _dropped, ...rest } = config;
              onChange({ ...(next === 'list' ? config : rest), presentation: next });
            }}>
              <option value="text">Plain text (numbered choices)</option>
              <option value="buttons">Reply buttons (up to 3)</option>
              <option value="list">A list of choices (up to 10)</option>
            </select>
          )}
        </Field>
      </div>
      {presentation === 'list' && (
        <Field label="List button (WhatsApp)" path={`${path}.listButton`} hint="The button under the question that opens the choices; at most 20 characters.">
          {(p) => <input {...p} maxLength={20} placeholder="Choose" value={config.listButton ?? ''}
            onChange={(e) => onChange({ ...config, listButton: e.target.value.trim() ? e.target.value : undefined })} />}
        </Field>
      )}
      <Field label="Choices (one per line)" path={`${path}.choices`} hint="Contacts may answer with the choice or its number.">
        {(p) => <textarea {...p} rows={3} value={choices.join('\n')}
          onChange={(e) => onChange({ ...config, choices: e.target.value.split('\n').map((c) => c.trim()).filter((c, i, all) => c !== '' || i === all.length - 1) })} />}
      </Field>
      <div className="row">
        <Field label="Re-ask an invalid answer (times)" path={`${path}.retries`}>
          {(p) => <input {...p} type="number" min={0} max={5} value={config.retries ?? 1} onChange={(e) => onChange({ ...config, retries: Number(e.target.value) })} />}
        </Field>
        <Field label="Wait for a reply (minutes)" path={`${path}.timeoutSeconds`}>
          {(p) => <input {...p} type="number" min={1} value={minutes} onChange={(e) => onChange({ ...config, timeoutSeconds: Number(e.target.value) * 60 })} />}
        </Field>
      </div>
      <Field label="Re-ask message" path={`${path}.retryMessage`} hint="{{question}} repeats the question.">
        {(p) => <input {...p} value={config.retryMessage ?? 'Sorry, that is not a valid answer. {{question}}'} onChange={(e) => onChange({ ...config, retryMessage: e.target.value })} />}
      </Field>
      <FieldPicker standard={WRITABLE_STANDARD_FIELDS} label="Save the answer to contact field (optional)" path={`${path}.saveToField`} value={config.saveToField ?? ''}
        onChange={(key) => onChange({ ...config, saveToField: key || undefined })} />
      <Field label="Save the answer as $step variable (optional)" path={`${path}.saveToVariable`}>
        {(p) => <input {...p} value={config.saveToVariable ?? ''} placeholder="answer" onChange={(e) => onChange({ ...config, saveToVariable: e.target.value || undefined })} />}
      </Field>
      <StepTargetSelect label="When answered, go to" value={config.answeredGoTo} path={`${path}.answeredGoTo`} selfId={stepId} emptyLabel="The next step"
        onChange={(answeredGoTo) => onChange({ ...config, answeredGoTo })} />
      <StepTargetSelect label="When still invalid, go to" value={config.invalidGoTo} path={`${path}.invalidGoTo`} selfId={stepId} emptyLabel="The next step"
        onChange={(invalidGoTo) => onChange({ ...config, invalidGoTo })} />
      <StepTargetSelect label="When no reply comes, go to" value={config.timeoutGoTo} path={`${path}.timeoutGoTo`} selfId={stepId} emptyLabel="The next step"
        onChange={(timeoutGoTo) => onChange({ ...config, timeoutGoTo })} />
    </>
  );
}
