import { END_WORKFLOW } from '../../lib/contracts/steps';
import { useEditorContext } from './editor-context';
import { Field } from './Field';

interface Props {
  label: string;
  value: string | undefined;
  onChange(stepId: string | undefined): void;
  path: string;
  /** The step holding the select: it is not offered as its own target. */
  selfId: string;
  /** Label of the empty choice; without it a target is required. */
  emptyLabel?: string;
}

/**
 * A jump/branch target chosen from the workflow's own steps, or "End the workflow" (last, as
 * respond.io's branch that leads nowhere ends there): an if/else needs no dummy last step.
 */
export function StepTargetSelect({ label, value, onChange, path, selfId, emptyLabel }: Props) {
  const { steps } = useEditorContext();
  const known = !value || value === END_WORKFLOW || steps.some((s) => s.id === value);
  return (
    <Field label={label} path={path}>
      {(p) => (
        <select {...p} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
          <option value="">{emptyLabel ?? 'Choose a step…'}</option>
          {!known && <option value={value}>{value} (missing step)</option>}
          {steps.filter((s) => s.id !== selfId).map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
          <option value={END_WORKFLOW}>End the workflow</option>
        </select>
      )}
    </Field>
  );
}
