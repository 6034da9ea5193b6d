import { WRITABLE_STANDARD_FIELDS } from '../../lib/contracts/steps';
import { templateReferences } from '../../lib/workflow/template';
import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { FieldPicker } from './FieldPicker';
import { TemplateInput } from './TemplateInput';

export function FieldStepFields({ config, onChange, path, index }: StepEditorProps<'update_contact_field'>) {
  // Only a value with variables can come out empty; one written empty always clears the field.
  const hasVariables = templateReferences(config.value).length > 0;
  return (
    <>
      <FieldPicker standard={WRITABLE_STANDARD_FIELDS} value={config.field} path={`${path}.field`} onChange={(field) => onChange({ ...config, field })} />
      <TemplateInput label="New value" value={config.value} path={`${path}.value`} stepIndex={index}
        hint="Leave it empty to clear the field." onChange={(value) => {
          const { whenEmpty, ...rest } = config;
          onChange(templateReferences(value).length > 0 && whenEmpty ? { ...rest, value, whenEmpty } : { ...rest, value });
        }} />
      {hasVariables && (
        <Field label="When its variables are empty" path={`${path}.whenEmpty`}
          hint="A webhook without the key, or a null: the field keeps its value unless you choose to clear it.">
          {(p) => (
            <select {...p} value={config.whenEmpty ?? 'keep'}
              onChange={(e) => onChange({ ...config, whenEmpty: e.target.value === 'clear' ? 'clear' : undefined })}>
              <option value="keep">Keep the field as it is</option>
              <option value="clear">Clear the field</option>
            </select>
          )}
        </Field>
      )}
    </>
  );
}
