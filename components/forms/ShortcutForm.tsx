import { useEffect, useId, useMemo, useRef } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { FormDefinition } from '../../lib/contracts/forms';
import { formSchema } from '../../lib/workflow/form-schema';
import { FormFieldInput, type FormValues } from './FormFieldInput';
import { splitServerErrors, type ServerErrorDetail } from './server-errors';

export interface ShortcutFormProps {
  form: FormDefinition;
  /** Called only with values that passed formSchema(form) (parsed: numbers, trimmed text, E.164 phones). */
  onSubmit(values: Record<string, unknown>): void | Promise<void>;
  submitting?: boolean;
  /** The server's 422 `details` (`{ path: 'values.<variable>', message }`), shown on their fields. */
  serverErrors?: readonly ServerErrorDetail[];
  submitLabel?: string;
  onCancel?(): void;
  autoFocus?: boolean;
  /** The workspace's default country (the shortcut list's): phone fields take national numbers. */
  defaultCountry?: string | null;
  /** What the agent had typed before (a kept draft): the form starts with it. Read once, at mount. */
  initialValues?: Readonly<Record<string, unknown>>;
  /** Every change of the values as typed (not parsed), for keeping a draft. */
  onValuesChange?(values: Record<string, unknown>): void;
}

/** A kept value where it still fits its field (the shortcut's form may have changed since). */
function startValue(field: FormDefinition['fields'][number], kept: unknown): unknown {
  if (field.type === 'checkbox') return typeof kept === 'boolean' ? kept : false;
  return typeof kept === 'string' ? kept : '';
}

/**
 * A shortcut's form with native inputs, validated with the same zod schema the server uses.
 * No extension dependencies: the options page renders it as the form builder's live preview.
 */
export function ShortcutForm({
  form, onSubmit, submitting = false, serverErrors, submitLabel = 'Launch', onCancel, autoFocus = false, initialValues, onValuesChange, defaultCountry,
}: ShortcutFormProps) {
  const idPrefix = useId();
  const schema = useMemo(() => formSchema(form, { defaultCountry }), [form, defaultCountry]);
  const kept = useRef(initialValues);
  const defaultValues = useMemo(
    () => Object.fromEntries(form.fields.map((f) => [f.variable, startValue(f, kept.current?.[f.variable])])),
    [form],
  );
  const { register, control, watch, handleSubmit, setError, setFocus, formState: { errors } } = useForm<FormValues>({
    resolver: zodResolver(schema as never) as never,
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const variables = form.fields.map((f) => f.variable);
  const { byField, general } = useMemo(() => splitServerErrors(serverErrors, variables), [serverErrors, variables.join('\n')]);

  useEffect(() => {
    for (const [variable, message] of Object.entries(byField)) setError(variable, { type: 'server', message });
    const first = form.fields.find((f) => byField[f.variable]);
    if (first) setFocus(first.variable);
  }, [byField, setError, setFocus, form.fields]);

  useEffect(() => {
    const first = form.fields[0];
    if (autoFocus && first) setFocus(first.variable);
  }, [autoFocus, form.fields, setFocus]);

  const changed = useRef(onValuesChange);
  changed.current = onValuesChange;
  useEffect(() => {
    const subscription = watch((values) => changed.current?.({ ...values }));
    return () => subscription.unsubscribe();
  }, [watch]);

  return (
    <form className="ic-form" noValidate onSubmit={handleSubmit((values) => onSubmit(values))}>
      {general.length > 0 && <div role="alert" className="ic-form-error">{general.join(' ')}</div>}
      {form.fields.map((field, i) => {
        const message = errors[field.variable]?.message;
        return (
          <FormFieldInput
            key={field.id ?? field.variable}
            field={field}
            id={`${idPrefix}-f${i}`}
            error={typeof message === 'string' ? message : undefined}
            register={register}
            control={control}
          />
        );
      })}
      <div className="ic-form-actions">
        {onCancel && <button type="button" className="ic-secondary" onClick={onCancel}>Back</button>}
        <button type="submit" className="ic-primary" disabled={submitting} aria-busy={submitting || undefined}>
          {submitting ? 'Launching…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
