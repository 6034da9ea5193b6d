import { WRITABLE_STANDARD_FIELDS } from '../../lib/contracts/steps';
import type { StepEditorProps } from './draft-types';
import { FieldPicker } from './FieldPicker';
import { TemplateInput } from './TemplateInput';

export function FieldStepFields({ config, onChange, path, index }: StepEditorProps<'update_contact_field'>) {
  return (
    <>
      <FieldPicker standard={WRITABLE_STANDARD_FIELDS} value={config.field} path={`${path}.field`} onChange={(field) => onChange({ ...config, field })} />
      <TemplateInput label="New value" value={config.value} path={`${path}.value`} stepIndex={index} onChange={(value) => onChange({ ...config, value })} />
    </>
  );
}
