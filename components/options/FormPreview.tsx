import { useMemo } from 'react';
import { FormField, type FormFieldInput } from '../../lib/contracts/forms';
import { ShortcutForm } from '../forms';
import { useDefaultCountry } from './queries';

/**
 * The form as an agent will see it, rendered by the launcher's own component. Fields that are not
 * valid yet are left out (and counted) so the preview never breaks while the admin types.
 */
export function FormPreview({ fields }: { fields: readonly FormFieldInput[] }) {
  // The launcher reads phones with the workspace's country (ShortcutList.defaultCountry): so does its preview.
  const defaultCountry = useDefaultCountry().data?.country ?? null;
  const { form, skipped } = useMemo(() => {
    const valid: FormField[] = [];
    for (const f of fields) {
      const parsed = FormField.safeParse({ ...f, options: f.options?.filter((o) => o.trim()) });
      if (parsed.success && !valid.some((v) => v.variable === parsed.data.variable)) valid.push(parsed.data);
    }
    return { form: { fields: valid }, skipped: fields.length - valid.length };
  }, [fields]);
  return (
    <section className="preview" aria-label="Form preview">
      <h4>Preview</h4>
      {form.fields.length === 0 && <p className="hint">No fields: the shortcut starts as soon as it is chosen.</p>}
      {/* Remount on every change: the form keeps its own state otherwise. */}
      <ShortcutForm key={JSON.stringify(form)} form={form} onSubmit={() => undefined} submitLabel="Try the form" defaultCountry={defaultCountry} />
      {skipped > 0 && <p className="hint">{skipped} field{skipped > 1 ? 's' : ''} not shown until complete.</p>}
    </section>
  );
}
