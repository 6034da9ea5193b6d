import { useId, useRef } from 'react';
import { useEditorContext } from './editor-context';
import { Field } from './Field';
import { VariableMenu } from './VariableMenu';

interface Props {
  label: string;
  value: string;
  onChange(value: string): void;
  path: string;
  /** Index of the step holding it: only the outputs of steps that may run before it are offered. */
  stepIndex: number;
  multiline?: boolean;
  placeholder?: string;
  hint?: string;
  /** Values offered as the admin types (a list field's options); any other text is still taken. */
  suggestions?: readonly string[];
}

/** A text that may hold `{{$contact.firstName}}`-style variables, with a menu to insert them. */
export function TemplateInput({ label, value, onChange, path, stepIndex, multiline, placeholder, hint, suggestions }: Props) {
  const { variables, variableNotes, stepVariables } = useEditorContext();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const listId = `${useId()}-suggestions`;
  const offerList = !multiline && suggestions !== undefined && suggestions.length > 0;
  const offered = [...variables, ...(stepVariables[stepIndex] ?? []).map((name) => `$step.${name}`)];
  const insert = (variable: string) => {
    const el = ref.current;
    const at = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? at;
    const token = `{{${variable}}}`;
    onChange(value.slice(0, at) + token + value.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + token.length, at + token.length);
    });
  };
  return (
    <Field label={label} path={path} hint={hint}>
      {(p) => (
        <div className="template-input">
          {multiline
            ? <textarea {...p} ref={ref} rows={3} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
            : <input {...p} ref={ref} value={value} placeholder={placeholder} list={offerList ? listId : undefined} onChange={(e) => onChange(e.target.value)} />}
          {offerList && <datalist id={listId}>{suggestions.map((o) => <option key={o} value={o} />)}</datalist>}
          <VariableMenu variables={offered} notes={variableNotes} label={label} onPick={insert} />
        </div>
      )}
    </Field>
  );
}
