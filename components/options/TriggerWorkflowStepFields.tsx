import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { useWorkflows } from './queries';
import { byReaderName } from './reader-order';

/** trigger_workflow: a workflow started by other workflows (manual trigger); it must be published to run. */
export function TriggerWorkflowStepFields({ config, onChange, path }: StepEditorProps<'trigger_workflow'>) {
  const manual = (useWorkflows().data?.workflows ?? []).filter((w) => w.trigger.type === 'manual').sort(byReaderName);
  return (
    <Field label="Workflow to start" path={`${path}.workflowId`} hint="Only workflows with the manual trigger can be started by a step.">
      {(p) => (
        <select {...p} value={config.workflowId} onChange={(e) => onChange({ workflowId: e.target.value })}>
          <option value="">Choose a workflow…</option>
          {manual.map((w) => <option key={w.id} value={w.id}>{w.name}{w.status === 'published' ? '' : ' (draft)'}</option>)}
        </select>
      )}
    </Field>
  );
}
