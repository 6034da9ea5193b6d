import { useState } from 'react';
import type { StepEditorProps } from './draft-types';
import { DecimalField } from './DecimalField';
import { Field } from './Field';

const UNITS = [['seconds', 1], ['minutes', 60], ['hours', 3600], ['days', 86_400]] as const;
type Unit = (typeof UNITS)[number][0];

const bestUnit = (seconds: number): Unit =>
  [...UNITS].reverse().find(([, size]) => seconds > 0 && seconds % size === 0)?.[0] ?? 'seconds';

export function WaitStepFields({ config, onChange, path }: StepEditorProps<'wait'>) {
  const [unit, setUnit] = useState<Unit>(() => bestUnit(config.seconds));
  const size = UNITS.find(([u]) => u === unit)?.[1] ?? 1;
  const amount = Number.isFinite(config.seconds) ? config.seconds / size : '';
  return (
    <div className="row">
      {/* Whole seconds: 1.1 hours is 3960 s, not the 3960.0000000000005 the product gives. */}
      <DecimalField label="Wait for" path={`${path}.seconds`} value={amount === '' ? undefined : amount}
        onChange={(n) => onChange({ seconds: Math.round(n * size) })} />
      <Field label="Unit">
        {(p) => (
          <select {...p} value={unit} onChange={(e) => {
            const next = e.target.value as Unit;
            const nextSize = UNITS.find(([u]) => u === next)?.[1] ?? 1;
            setUnit(next);
            if (typeof amount === 'number') onChange({ seconds: Math.round(amount * nextSize) });
          }}>
            {UNITS.map(([u]) => <option key={u} value={u}>{u}</option>)}
          </select>
        )}
      </Field>
    </div>
  );
}
