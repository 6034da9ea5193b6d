import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { useLifecycleStages } from './queries';

export function LifecycleStepFields({ config, onChange, path }: StepEditorProps<'update_lifecycle_stage'>) {
  const query = useLifecycleStages();
  const stages = query.data?.stages ?? [];
  return (
    <Field label="Move the contact to stage" path={`${path}.stage`}
      hint={query.isSuccess && stages.length === 0 ? 'No lifecycle stages yet: add them under Settings' : 'Contact Field Updated on “Lifecycle stage” fires when the stage changes.'}>
      {(p) => (
        <select {...p} value={config.stage} onChange={(e) => onChange({ stage: e.target.value })}>
          <option value="">Choose a stage…</option>
          {config.stage && !stages.includes(config.stage) && <option value={config.stage}>{config.stage} (missing)</option>}
          {stages.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      )}
    </Field>
  );
}
