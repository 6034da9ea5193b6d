import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { FIELD_TYPES, FieldDefinitionBody, FieldKey, FieldSaved } from '../../lib/contracts/contacts';
import { ApiFailure, errorMessage, NoBody, request } from './api';
import { BrokenWorkflowsNotice } from './BrokenWorkflowsNotice';
import { PLAIN_ERRORS, placeDetails } from './error-paths';
import { FieldErrorsContext } from './errors-context';
import { Field, FormError, useServerFieldErrors } from './Field';
import { keys, useFields } from './queries';

const FieldForm = FieldDefinitionBody.omit({ options: true })
  .extend({ key: FieldKey, options: z.string() })
  .refine((f) => f.type !== 'list' || f.options.split(',').some((o) => o.trim()), { message: 'A list field needs at least one option', path: ['options'] });
type FieldForm = z.infer<typeof FieldForm>;

// Where a refused save's details land: the key travels in the URL, so its problems come back as
// `params.key` (length) or `key` (format); options only while the form shows them. Saving upserts
// by key (no duplicate-key 409), so any other refusal shows on top.
const inputsOf = (form: FieldForm | undefined) =>
  form?.type === 'list' ? ['key', 'label', 'type', 'options'] as const : ['key', 'label', 'type'] as const;
const refusal = (err: unknown, form: FieldForm | undefined) =>
  placeDetails(err instanceof ApiFailure ? err.details : [], inputsOf(form));

/** Custom contact fields: key, label, type, options for lists. */
export function CustomFieldsSettings() {
  const client = useQueryClient();
  const fields = useFields();
  const [serverErrors, setServerErrors] = useServerFieldErrors();
  const { register, handleSubmit, reset, watch, setFocus, formState: { errors } } = useForm<FieldForm>({
    resolver: zodResolver(FieldForm, PLAIN_ERRORS),
    defaultValues: { key: '', label: '', type: 'text', options: '' },
  });
  const refresh = () => client.invalidateQueries({ queryKey: keys.fields });
  const save = useMutation({
    mutationFn: ({ key, options, ...rest }: FieldForm) =>
      request(FieldSaved, 'PUT', `/fields/${encodeURIComponent(key)}`, { ...rest, options: options.split(',').map((o) => o.trim()).filter(Boolean) }),
    onMutate: () => { setServerErrors({}); remove.reset(); },
    onError: (err, form) => {
      const { placed } = refusal(err, form);
      setServerErrors(placed);
      const first = inputsOf(form).find((f) => f in placed);
      if (first) setFocus(first);
    },
    onSuccess: () => { reset(); void refresh(); },
  });
  // A field a published workflow uses is refused (409 naming the workflows): shown on top until the next save or delete.
  const remove = useMutation({
    mutationFn: (key: string) => request(NoBody, 'DELETE', `/fields/${encodeURIComponent(key)}`),
    onMutate: () => save.reset(),
    onSuccess: () => void refresh(),
  });
  const error = save.error ?? remove.error;
  const unplaced = save.error ? refusal(save.error, save.variables).rest : undefined;
  return (
    <section className="panel" aria-labelledby="fields-h">
      <h3 id="fields-h">Custom contact fields</h3>
      <div className="table-wrap">
        <table className="table" aria-label="Custom fields">
          <thead><tr><th>Key</th><th>Label</th><th>Type</th><th>Options</th><th /></tr></thead>
          <tbody>
            {fields.data?.fields.map((f) => (
              <tr key={f.key}>
                <td className="mono">{f.key}</td><td>{f.label}</td><td>{f.type}</td><td>{f.options.join(', ')}</td>
                <td><button type="button" className="small danger" aria-label={`Delete field ${f.key}`}
                  onClick={() => { if (confirm(`Delete the field “${f.label}” (${f.key})? Its value is removed from every contact.`)) remove.mutate(f.key); }}>Delete</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <BrokenWorkflowsNotice saved={save.data} />
      <FormError message={error ? errorMessage(error) : undefined} details={unplaced} />
      <FieldErrorsContext.Provider value={serverErrors}>
        <form className="inline-form" noValidate onSubmit={handleSubmit((v) => save.mutate(v))}>
          {/* Named by the section, as the Users' and Channels' forms are ("Label of the new field"). */}
          <Field label="Key" path="key" error={errors.key?.message}>{(p) => <input {...p} aria-label="Key of the new field" {...register('key')} placeholder="order_id" />}</Field>
          <Field label="Label" path="label" error={errors.label?.message}>{(p) => <input {...p} aria-label="Label of the new field" {...register('label')} placeholder="Order ID" />}</Field>
          <Field label="Type" path="type" error={errors.type?.message}>
            {(p) => <select {...p} aria-label="Type of the new field" {...register('type')}>{FIELD_TYPES.map((t) => <option key={t}>{t}</option>)}</select>}
          </Field>
          {watch('type') === 'list' && (
            <Field label="Options (comma separated)" path="options" error={errors.options?.message}>{(p) => <input {...p} aria-label="Options (comma separated) of the new field" {...register('options')} />}</Field>
          )}
          <button type="submit" disabled={save.isPending}>Save field</button>
        </form>
      </FieldErrorsContext.Provider>
    </section>
  );
}
