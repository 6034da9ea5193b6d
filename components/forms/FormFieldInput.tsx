import type { UseFormRegister } from 'react-hook-form';
import type { FormField } from '../../lib/contracts/forms';

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
}

/** One form field as a native input with its label, required mark and error. */
export function FormFieldInput({ field, id, error, register }: Props) {
  const errorId = `${id}-error`;
  const a11y = {
    id,
    'aria-required': field.required || undefined,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
  } as const;
  const mark = field.required ? <span className="ic-required" aria-hidden="true"> *</span> : null;
  const message = error ? <p className="ic-field-error" id={errorId}>{error}</p> : null;

  if (field.type === 'checkbox') {
    return (
      <div className="ic-field ic-field-checkbox">
        <input type="checkbox" {...a11y} {...register(field.variable)} />
        <label htmlFor={id}>{field.label}{mark}</label>
        {message}
      </div>
    );
  }
  const label = <label htmlFor={id}>{field.label}{mark}</label>;
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
    </div>
  );
}
