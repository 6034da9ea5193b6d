import { useId, useState } from 'react';
import { STEP_TYPES, type StepInput, type StepType } from '../../lib/contracts/steps';
import { MAX_STEPS } from '../../lib/contracts/workflow';
import { GroupError } from './Field';
import { StepCard } from './StepCard';
import { defaultStep, STEP_LABELS } from './step-defaults';

interface Props { steps: StepInput[]; onChange(steps: StepInput[]): void }

/** The workflow's steps in order: add, reorder, remove. */
export function StepList({ steps, onChange }: Props) {
  const typeId = useId();
  const [type, setType] = useState<StepType>('send_message');
  const move = (index: number, delta: -1 | 1) => {
    const next = [...steps];
    const [item] = next.splice(index, 1);
    if (item) next.splice(index + delta, 0, item);
    onChange(next);
  };
  return (
    <section className="panel" aria-labelledby="steps-heading">
      <h3 id="steps-heading">Steps</h3>
      {steps.length === 0 && <p className="hint">No steps yet: the workflow would do nothing.</p>}
      <ol className="stack">
        {steps.map((step, index) => (
          <StepCard key={step.id} step={step} index={index} count={steps.length}
            onChange={(s) => onChange(steps.map((old, i) => (i === index ? s : old)))}
            onMove={(delta) => move(index, delta)}
            onRemove={() => onChange(steps.filter((_, i) => i !== index))} />
        ))}
      </ol>
      <div className="row add-step">
        <label htmlFor={typeId}>New step</label>
        <select id={typeId} value={type} onChange={(e) => setType(e.target.value as StepType)}>
          {STEP_TYPES.map((t) => <option key={t} value={t}>{STEP_LABELS[t]}</option>)}
        </select>
        <button type="button" disabled={steps.length >= MAX_STEPS} onClick={() => onChange([...steps, defaultStep(type, steps)])}>Add step</button>
      </div>
      <GroupError path="steps" />
    </section>
  );
}
