import { useWatch, type Control, type UseFormRegister } from 'react-hook-form';
import type { FormField } from '../../lib/contracts/forms';
import { MAX_TEXT } from '../../lib/workflow/form-schema';

export type FormValues = Record<string, unknown>;

// A number is typed as text and read by formSchema as Ask a Question reads answers: Chromium's
// en-US <input type=number> takes the comma of "19,99" for a thousands separator and gives 1999,
// which no message would ever question. inputMode still brings up the decimal keypad.
const INPUT_TYPE: Record<Exclude<FormField['type'], 'list' | 'checkbox'>, string> = {
  text: 'text',
  number: 'text',
  date: 'date',
  time: 'time',
  phone: 'tel',
  email: 'email',
  url: 'url',
};

const INPUT_MODE: Partial<Record<FormField['type'], 'decimal' | 'tel' | 'email' | 'url'>> = {
  number: 'decimal',
  phone: 'tel',
  email: 'email',
  url: 'url',
};

interface Props {
  field: FormField;
  id: string;
  error?: string;
  register: UseFormRegister<FormValues>;
  /** The form's values, for a text field's character count. */
  control: Control<FormValues>;
}

/**
 * A text field counts its characters once they near the limit (as the check counts them:
 * trimmed), so "Keep it under 1000 characters" is not news on submit. No maxlength: a paste
 * would be cut short without a word, losing what the customer wrote.
 */
const COUNT_FROM = Math.floor(MAX_TEXT * 0.8);

function useTextLength(control: Control<FormValues>, field: FormField): number {
  const value = useWatch({ control, name: field.variable, disabled: field.type !== 'text' });
  return field.type === 'text' && typeof value === 'string' ? value.trim().length : 0;
}

/** One form field as a native input with its label, required mark and error. */
export function FormFieldInput({ field, id, error, register, control }: Props) {
  const errorId = `${id}-error`;
  const countId = `${id}-count`;
  const length = useTextLength(control, field);
  const counted = length >= COUNT_FROM;
  const over = length - MAX_TEXT;
  const described = [error && errorId, counted && countId].filter(Boolean).join(' ');
  // dir=auto: what an admin named the field and what the agent types read in their own direction (Arabic, Hebrew).
  const a11y = {
    id,
    dir: 'auto',
    'aria-required': field.required || undefined,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described || undefined,
  } as const;
  const mark = field.required ? <span className="ic-required" aria-hidden="true"> *</span> : null;
  const message = error ? <p className="ic-field-error" id={errorId}>{error}</p> : null;

  if (field.type === 'checkbox') {
    return (
      <div className="ic-field ic-field-checkbox">
        <input type="checkbox" {...a11y} {...register(field.variable)} />
        <label htmlFor={id} dir="auto">{field.label}{mark}</label>
        {message}
      </div>
    );
  }
  const label = <label htmlFor={id} dir="auto">{field.label}{mark}</label>;
  if (field.type === 'list') {
    return (
      <div className="ic-field">
        {label}
        <select {...a11y} {...register(field.variable)}>
          <option value="">{field.placeholder ?? 'Choose…'}</option>
          {(field.options ?? []).map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
        {message}
      </div>
    );
  }
  return (
    <div className="ic-field">
      {label}
      <input
        type={INPUT_TYPE[field.type]}
        inputMode={INPUT_MODE[field.type]}
        placeholder={field.placeholder}
        // Off for every type, email too: the values are the customer's, and the browser would offer the agent's own.
        autoComplete="off"
        {...a11y}
        {...register(field.variable)}
      />
      {message}
      {counted && (
        <p className={over > 0 ? 'ic-field-count ic-field-count-over' : 'ic-field-count'} id={countId} data-testid="field-count">
          {over > 0 ? `${length} / ${MAX_TEXT} characters: ${over} too many` : `${length} / ${MAX_TEXT} characters`}
        </p>
      )}
    </div>
  );
}
