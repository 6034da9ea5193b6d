import { useEffect, useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { authValuesSchema, type AuthInput, type AuthValues } from '../../lib/contracts/apps';
import { PLAIN_ERRORS, type ErrorMap } from './error-paths';
import { Field } from './Field';
import { SecretInput } from './SecretInput';

interface Props {
  inputs: readonly AuthInput[];
  submitting: boolean;
  /** The server's 422 details (`authValues.<key>`), put on their inputs. */
  serverErrors?: ErrorMap;
  onSubmit(values: AuthValues): void;
  onCancel(): void;
  /** The submit button's words, idle and while sending: installing, or entering the values again. */
  submitLabels?: readonly [string, string];
}

/** The app's auth inputs as a form, validated with the schema the server applies on install. */
export function InstallForm({ inputs, submitting, serverErrors, onSubmit, onCancel, submitLabels = ['Install', 'Installing…'] }: Props) {
  const schema = useMemo(() => authValuesSchema(inputs), [inputs]);
  const { register, handleSubmit, setError, setFocus, formState: { errors } } = useForm<Record<string, unknown>>({
    resolver: zodResolver(schema as never, PLAIN_ERRORS as never) as never,
    defaultValues: Object.fromEntries(inputs.map((i) => [i.key, i.type === 'checkbox' ? false : i.type === 'number' ? null : ''])),
  });
  useEffect(() => {
    if (!serverErrors) return;
    const keys = inputs.map((i) => i.key).filter((k) => serverErrors[`authValues.${k}`]);
    for (const key of keys) setError(key, { type: 'server', message: serverErrors[`authValues.${key}`] });
    if (keys[0]) setFocus(keys[0]);
  }, [serverErrors, inputs, setError, setFocus]);
  return (
    <form className="install-form" noValidate onSubmit={handleSubmit((values) => onSubmit(values as AuthValues))}>
      {inputs.length === 0 && <p className="hint">This app needs no credentials.</p>}
      {inputs.map((input) => {
        const message = errors[input.key]?.message;
        const error = typeof message === 'string' ? message : undefined;
        const label = `${input.label}${input.required ? ' *' : ''}`;
        if (input.type === 'checkbox') {
          const errorId = `install-${input.key}-error`;
          return (
            <div key={input.key} className="field">
              <label className="check">
                <input type="checkbox" {...register(input.key)} aria-invalid={!!error || undefined} aria-describedby={error ? errorId : undefined} /> {label}
              </label>
              {error && <p className="error" id={errorId}>{error}</p>}
            </div>
          );
        }
        return (
          <Field key={input.key} label={label} error={error}>
            {(p) => input.type === 'text'
              ? <textarea {...p} rows={3} maxLength={input.maxLength} {...register(input.key)} />
              : input.type === 'secret'
              ? <SecretInput {...p} what={input.label} maxLength={input.maxLength} {...register(input.key)} />
              : <input {...p} type={input.type === 'number' ? 'number' : 'text'} maxLength={input.maxLength}
                  {...register(input.key, input.type === 'number' ? { setValueAs: (v: string) => (v === '' || v === null ? null : Number(v)) } : {})} />}
          </Field>
        );
      })}
      <div className="row">
        <button type="submit" className="primary" disabled={submitting}>{submitting ? submitLabels[1] : submitLabels[0]}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
