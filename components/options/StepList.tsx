import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { STEP_TYPES, type StepInput, type StepType } from '../../lib/contracts/steps';
import { MAX_STEPS } from '../../lib/contracts/workflow';
import { GroupError } from './Field';
import { StepCard } from './StepCard';
import { defaultStep, STEP_LABELS } from './step-defaults';

interface Props { steps: StepInput[]; onChange(steps: StepInput[]): void }

/**
 * The workflow's steps in order: add, reorder (buttons or the keyboard on a step's handle),
 * collapse, remove. The cards get stable callbacks, so typing in one step of a 50-step workflow
 * re-renders that step, not all of them.
 */
export function StepList({ steps, onChange }: Props) {
  const typeId = useId();
  const [type, setType] = useState<StepType>('send_message');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [announcement, setAnnouncement] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const focusAfterMove = useRef<string | null>(null);
  const latest = useRef({ steps, onChange });
  latest.current = { steps, onChange };

  const change = useCallback((index: number, step: StepInput) => {
    const { steps: all, onChange: set } = latest.current;
    set(all.map((old, i) => (i === index ? step : old)));
  }, []);
  const move = useCallback((from: number, to: number) => {
    const { steps: all, onChange: set } = latest.current;
    const next = [...all];
    const [item] = next.splice(from, 1);
    if (!item) return;
    next.splice(to, 0, item);
    focusAfterMove.current = item.id;
    setAnnouncement(`${STEP_LABELS[item.type]} (${item.id}) moved to position ${to + 1} of ${next.length}`);
    set(next);
  }, []);
  const remove = useCallback((index: number) => {
    const { steps: all, onChange: set } = latest.current;
    set(all.filter((_, i) => i !== index));
  }, []);
  const toggle = useCallback((id: string) => setCollapsed((c) => {
    const next = new Set(c);
    if (!next.delete(id)) next.add(id);
    return next;
  }), []);

  // The moved step's handle keeps the focus, wherever the step went.
  useEffect(() => {
    const id = focusAfterMove.current;
    if (!id) return;
    focusAfterMove.current = null;
    listRef.current?.querySelector<HTMLElement>(`[data-step-handle="${CSS.escape(id)}"]`)?.focus();
  }, [steps]);

  const allCollapsed = steps.length > 0 && steps.every((s) => collapsed.has(s.id));
  return (
    <section className="panel" aria-labelledby="steps-heading">
      <div className="row steps-head">
        <h3 id="steps-heading">Steps</h3>
        <span className="spacer" />
        {steps.length > 1 && (
          <>
            <button type="button" className="small" disabled={allCollapsed} onClick={() => setCollapsed(new Set(steps.map((s) => s.id)))}>Collapse all</button>
            <button type="button" className="small" disabled={collapsed.size === 0} onClick={() => setCollapsed(new Set())}>Expand all</button>
          </>
        )}
      </div>
      <span className="sr-only" aria-live="polite" data-testid="step-announcement">{announcement}</span>
      {steps.length === 0 && <p className="hint">No steps yet: the workflow would do nothing.</p>}
      <ol className="stack" ref={listRef}>
        {steps.map((step, index) => (
          <StepCard key={step.id} step={step} index={index} count={steps.length} collapsed={collapsed.has(step.id)}
            onChange={change} onMove={move} onRemove={remove} onToggle={toggle} />
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
