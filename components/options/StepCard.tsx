import type { StepInput } from '../../lib/contracts/steps';
import { GroupError } from './Field';
import { StepConfigEditor } from './StepConfigEditor';
import { STEP_LABELS } from './step-defaults';

interface Props {
  step: StepInput;
  index: number;
  count: number;
  onChange(step: StepInput): void;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
}

/** One step: its header (number, type, id, reorder/remove) and its settings. */
export function StepCard({ step, index, count, onChange, onMove, onRemove }: Props) {
  const name = `step ${index + 1}`;
  return (
    <li className="card step" aria-label={`Step ${index + 1}: ${STEP_LABELS[step.type]}`}>
      <div className="card-head">
        <span className="step-number">{index + 1}</span>
        <strong>{STEP_LABELS[step.type]}</strong>
        <code className="muted">{step.id}</code>
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => onMove(-1)}>↑</button>
        <button type="button" className="icon-button" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => onMove(1)}>↓</button>
        <button type="button" className="icon-button danger" aria-label={`Remove ${name}`} onClick={onRemove}>✕</button>
      </div>
      <StepConfigEditor step={step} index={index} onChange={onChange} />
      <GroupError path={`steps.${index}.config`} />
      <GroupError path={`steps.${index}`} />
      <GroupError path={`steps.${index}.id`} />
    </li>
  );
}
