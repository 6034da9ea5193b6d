import { useState, type ReactNode } from 'react';
import { NUMBER_MESSAGE } from '../../lib/workflow/form-schema';
import { ambiguousNumberHint } from '../../lib/workflow/number-hint';
import { readNumber } from '../../lib/workflow/numbers';
import { Field } from './Field';

interface Props {
  label: ReactNode;
  path?: string;
  hint?: ReactNode;
  /** The number shown when the field mounts (NaN or undefined: empty). */
  value: number | undefined;
  /** The number the text holds; NaN while it holds none (empty, "1,250", "abc"). */
  onChange(value: number): void;
}

/**
 * A number an admin may write with a decimal comma ("1,5" hours). A text input read as Ask a
 * Question reads answers (lib/workflow/numbers.ts), because Chromium's en-US <input type=number>
 * takes that comma for a thousands separator and silently makes 15 of it. What was typed is kept
 * as typed; a text that is no number, or could be two ("1,250"), is said on leaving the field.
 */
export function DecimalField({ label, path, hint, value, onChange }: Props) {
  const [text, setText] = useState(() => (value !== undefined && Number.isFinite(value) ? String(value) : ''));
  const [left, setLeft] = useState(false);
  const reading = readNumber(text);
  const problem = !left || 'number' in reading || reading.problem === 'is empty' ? undefined
    : reading.ambiguous ? ambiguousNumberHint(text.trim(), reading.ambiguous) : NUMBER_MESSAGE;
  return (
    // While the text is unreadable its own message shows, not the schema's word on the NaN behind it.
    <Field label={label} path={problem ? undefined : path} hint={hint} error={problem}>
      {(p) => (
        <input {...p} type="text" inputMode="decimal" autoComplete="off" value={text}
          onBlur={() => setLeft(true)}
          onChange={(e) => {
            setText(e.target.value);
            const read = readNumber(e.target.value);
            onChange('number' in read ? read.number : Number.NaN);
          }} />
      )}
    </Field>
  );
}
