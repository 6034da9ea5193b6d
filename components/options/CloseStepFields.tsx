import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { useClosingCategories } from './queries';
import { TemplateInput } from './TemplateInput';

export function CloseStepFields({ config, onChange, path, index }: StepEditorProps<'close_conversation'>) {
  const categories = useClosingCategories().data?.categories ?? [];
  return (
    <>
      <Field label="Closing category" path={`${path}.category`}>
        {(p) => (
          <select {...p} value={config.category ?? ''} onChange={(e) => onChange({ ...config, category: e.target.value || undefined })}>
            <option value="">No category</option>
            {config.category && !categories.includes(config.category) && <option value={config.category}>{config.category}</option>}
            {categories.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        )}
      </Field>
      <TemplateInput label="Summary" multiline value={config.summary ?? ''} path={`${path}.summary`} stepIndex={index}
        onChange={(summary) => onChange({ ...config, summary: summary || undefined })} />
    </>
  );
}
