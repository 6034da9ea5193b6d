import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { TagInput } from './TagInput';

export function TagStepFields({ config, onChange, path }: StepEditorProps<'update_contact_tag'>) {
  return (
    <>
      <Field label="Action" path={`${path}.action`}>
        {(p) => (
          <select {...p} value={config.action} onChange={(e) => onChange({ ...config, action: e.target.value as 'add' | 'remove' })}>
            <option value="add">Add tags</option>
            <option value="remove">Remove tags</option>
          </select>
        )}
      </Field>
      <TagInput label="Tags" tags={config.tags} path={`${path}.tags`} onChange={(tags) => onChange({ ...config, tags })} />
    </>
  );
}
