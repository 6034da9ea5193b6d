import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { FIELD_TYPES, FieldDefinition, FieldDefinitionBody, FieldKey } from '../../lib/contracts/contacts';
import { errorMessage, NoBody, request } from './api';
import { PLAIN_ERRORS } from './error-paths';
import { Field } from './Field';
import { keys, useFields } from './queries';

const FieldForm = FieldDefinitionBody.omit({ options: true })
  .extend({ key: FieldKey, options: z.string() })
  .refine((f) => f.type !== 'list' || f.options.split(',').some((o) => o.trim()), { message: 'A list field needs at least one option', path: ['options'] });
type FieldForm = z.infer<typeof FieldForm>;

/** Custom contact fields: key, label, type, options for lists. */
export function CustomFieldsSettings() {
  const client = useQueryClient();
  const fields = useFields();
  const { register, handleSubmit, reset, watch, formState: { errors } } = useForm<FieldForm>({
    resolver: zodResolver(FieldForm, PLAIN_ERRORS),
    defaultValues: { key: '', label: '', type: 'text', options: '' },
  });
  const refresh = () => client.invalidateQueries({ queryKey: keys.fields });
  const save = useMutation({
    mutationFn: ({ key, options, ...rest }: FieldForm) =>
      request(FieldDefinition, 'PUT', `/fields/${encodeURIComponent(key)}`, { ...rest, options: options.split(',').map((o) => o.trim()).filter(Boolean) }),
    onSuccess: () => { reset(); void refresh(); },
  });
  const remove = useMutation({
    mutationFn: (key: string) => request(NoBody, 'DELETE', `/fields/${encodeURIComponent(key)}`),
    onSuccess: () => void refresh(),
  });
  const error = save.error ?? remove.error;
  return (
    <section className="panel" aria-labelledby="fields-h">
      <h3 id="fields-h">Custom contact fields</h3>
      <table className="table" aria-label="Custom fields">
        <thead><tr><th>Key</th><th>Label</th><th>Type</th><th>Options</th><th /></tr></thead>
        <tbody>
          {fields.data?.fields.map((f) => (
            <tr key={f.key}>
              <td className="mono">{f.key}</td><td>{f.label}</td><td>{f.type}</td><td>{f.options.join(', ')}</td>
              <td><button type="button" className="small danger" aria-label={`Delete field ${f.key}`} onClick={() => remove.mutate(f.key)}>Delete</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" noValidate onSubmit={handleSubmit((v) => save.mutate(v))}>
        <Field label="Key" error={errors.key?.message}>{(p) => <input {...p} {...register('key')} placeholder="order_id" />}</Field>
        <Field label="Label" error={errors.label?.message}>{(p) => <input {...p} {...register('label')} placeholder="Order ID" />}</Field>
        <Field label="Type" error={errors.type?.message}>
          {(p) => <select {...p} {...register('type')}>{FIELD_TYPES.map((t) => <option key={t}>{t}</option>)}</select>}
        </Field>
        {watch('type') === 'list' && (
          <Field label="Options (comma separated)" error={errors.options?.message}>{(p) => <input {...p} {...register('options')} />}</Field>
        )}
        <button type="submit" disabled={save.isPending}>Save field</button>
      </form>
      {error && <p className="error" role="alert">{errorMessage(error)}</p>}
    </section>
  );
}
