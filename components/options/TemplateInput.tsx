import { useId, useRef } from 'react';
import { variableMenuLabel } from '../../lib/workflow/variable-labels';
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
  const { variables, variableNotes, variableNames = {}, stepVariables } = useEditorContext();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const listId = `${useId()}-suggestions`;
  const offerList = !multiline && suggestions !== undefined && suggestions.length > 0;
  const offered = [...variables, ...(stepVariables[stepIndex] ?? []).map((name) => `$step.${name}`)];
  const labels = Object.fromEntries(offered.map((v) => [v, variableMenuLabel(v, variableNames)]));
  // Where the admin last put the caret; a field never clicked into gets the variable at its end
  // (Chromium reports the caret of an untouched field at 0, which put it before the text).
  const caret = useRef<{ at: number; end: number }>(undefined);
  const remember = (el: HTMLInputElement | HTMLTextAreaElement) => { caret.current = { at: el.selectionStart ?? 0, end: el.selectionEnd ?? 0 }; };
  const insert = (variable: string) => {
    const el = ref.current;
    const at = Math.min(caret.current?.at ?? value.length, value.length);
    const end = Math.min(Math.max(caret.current?.end ?? at, at), value.length);
    const token = `{{${variable}}}`;
    onChange(value.slice(0, at) + token + value.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + token.length, at + token.length);
      caret.current = { at: at + token.length, end: at + token.length };
    });
  };
  return (
    <Field label={label} path={path} hint={hint}>
      {(p) => (
        <div className="template-input">
          {multiline
            ? <textarea {...p} ref={ref} rows={3} value={value} placeholder={placeholder} onSelect={(e) => remember(e.currentTarget)} onChange={(e) => onChange(e.target.value)} />
            : <input {...p} ref={ref} value={value} placeholder={placeholder} list={offerList ? listId : undefined} onSelect={(e) => remember(e.currentTarget)} onChange={(e) => onChange(e.target.value)} />}
          {offerList && <datalist id={listId}>{suggestions.map((o) => <option key={o} value={o} />)}</datalist>}
          <VariableMenu variables={offered} labels={labels} notes={variableNotes} label={label} onPick={insert} />
        </div>
      )}
    </Field>
  );
}
