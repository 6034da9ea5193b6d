import { memo, useId } from 'react';
import type { StepInput } from '../../lib/contracts/steps';
import { describePath } from './ErrorSummary';
import { GroupError } from './Field';
import { StepConfigEditor } from './StepConfigEditor';
import { STEP_LABELS } from './step-defaults';
import { useStepProblems } from './use-step-problems';

interface Props {
  step: StepInput;
  index: number;
  count: number;
  collapsed: boolean;
  onChange(index: number, step: StepInput): void;
  /** Moves the step to another position (keyboard or the arrow buttons). */
  onMove(index: number, to: number): void;
  onRemove(index: number): void;
  onToggle(id: string): void;
}

/** `steps.2.config.url` on step 3 -> `url`: the step is already named by its card. */
const withinStep = (path: string) => describePath(path).split(' \u203a ').slice(1).join(' \u203a ') || 'This step';

/**
 * One step: its header (reorder handle, number, type, id, problems, collapse, move, remove) and
 * its settings. The handle moves the step with the arrow keys (Home/End: first/last); a collapsed
 * step keeps its problems in view, so a long workflow can be folded without hiding what to fix.
 */
export const StepCard = memo(function StepCard({ step, index, count, collapsed, onChange, onMove, onRemove, onToggle }: Props) {
  const id = useId();
  const name = `step ${index + 1}`;
  const problems = useStepProblems(index);
  const onHandleKey = (e: React.KeyboardEvent) => {
    const to = { ArrowUp: index - 1, ArrowDown: index + 1, Home: 0, End: count - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    if (to >= 0 && to < count && to !== index) onMove(index, to);
  };
  return (
    <li className={`card step${collapsed ? ' collapsed' : ''}${problems.length ? ' has-problems' : ''}`} aria-label={`Step ${index + 1}: ${STEP_LABELS[step.type]}`} data-step-id={step.id}>
      <div className="card-head">
        <button type="button" className="icon-button handle" data-step-handle={step.id} aria-label={`Reorder ${name}`}
          aria-describedby={`${id}-handle`} onKeyDown={onHandleKey}>⠿</button>
        <span id={`${id}-handle`} hidden>Arrow up or down moves it; Home and End move it first or last.</span>
        <span className="step-number">{index + 1}</span>
        <strong>{STEP_LABELS[step.type]}</strong>
        <code className="muted">{step.id}</code>
        {problems.length > 0 && (
          <span className="badge badge-failed" data-testid="step-problem-count">{problems.length === 1 ? '1 problem' : `${problems.length} problems`}</span>
        )}
        <span className="spacer" />
        <button type="button" className="icon-button" aria-expanded={!collapsed} aria-controls={`${id}-body`}
          aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${name}`} onClick={() => onToggle(step.id)}>{collapsed ? '▸' : '▾'}</button>
        <button type="button" className="icon-button" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => onMove(index, index - 1)}>↑</button>
        <button type="button" className="icon-button" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => onMove(index, index + 1)}>↓</button>
        <button type="button" className="icon-button danger" aria-label={`Remove ${name}`} onClick={() => onRemove(index)}>✕</button>
      </div>
      {collapsed && problems.length > 0 && (
        <ul className="step-problems" aria-label={`Problems in ${name}`}>
          {problems.map(([path, message]) => (
            <li key={path}><span className="muted">{withinStep(path)}:</span> <span>{message}</span></li>
          ))}
        </ul>
      )}
      {!collapsed && (
        <div id={`${id}-body`}>
          <StepConfigEditor step={step} index={index} onChange={(s) => onChange(index, s)} />
          <GroupError path={`steps.${index}.config`} />
          <GroupError path={`steps.${index}`} />
          <GroupError path={`steps.${index}.id`} />
        </div>
      )}
    </li>
  );
});
