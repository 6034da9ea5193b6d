import { ANSWER_TYPES, WRITABLE_STANDARD_FIELDS } from '../../lib/contracts/steps';
import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { FieldPicker } from './FieldPicker';
import { StepTargetSelect } from './StepTargetSelect';
import { TemplateInput } from './TemplateInput';

const TYPE_LABELS: Record<(typeof ANSWER_TYPES)[number], string> = {
  text: 'Text', number: 'Number', email: 'Email', phone: 'Phone number', date: 'Date', choice: 'One of the choices',
};

/** Ask a Question: what to ask, how to check the reply, where to keep it, and where each outcome goes. */
export function AskQuestionStepFields({ config, onChange, path, index, stepId }: StepEditorProps<'ask_question'>) {
  const choices = config.choices ?? [];
  const minutes = Math.round((config.timeoutSeconds ?? 86_400) / 60);
  return (
    <>
      <TemplateInput label="Question" multiline value={config.question} path={`${path}.question`} stepIndex={index}
        placeholder="What is your order number?" onChange={(question) => onChange({ ...config, question })} />
      <div className="row">
        <Field label="Expected answer" path={`${path}.answerType`}>
          {(p) => (
            <select {...p} value={config.answerType} onChange={(e) => onChange({ ...config, answerType: e.target.value as typeof config.answerType })}>
              {ANSWER_TYPES.map((t) => <option key={t} value={t}>{TYPE_LABELS[t]}</option>)}
            </select>
          )}
        </Field>
        <Field label="Show choices as" path={`${path}.presentation`}>
          {(p) => (
            <select {...p} value={config.presentation ?? 'text'} onChange={(e) => onChange({ ...config, presentation: e.target.value as 'text' | 'buttons' | 'list' })}>
              <option value="text">Plain text</option>
              <option value="buttons">Reply buttons (up to 3)</option>
              <option value="list">A list of choices (up to 10)</option>
            </select>
          )}
        </Field>
      </div>
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
