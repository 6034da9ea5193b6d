import { useId, type ReactNode } from 'react';
import { useFieldError, useTouch } from './errors-context';

export interface ControlProps {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

interface Props {
  label: ReactNode;
  /** Where this value sits in the draft (`steps.2.config.url`): its errors show here. */
  path?: string;
  hint?: ReactNode;
  /** An error of the caller's own, shown when the path has none. */
  error?: string;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

/** A labelled control with its hint and error, wired for screen readers. */
export function Field({ label, path, hint, error, className, children }: Props) {
  const id = useId();
  const touch = useTouch();
  const message = useFieldError(path) ?? error;
  const described = [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ');
  // React's onChange (not onInput): a re-render between a select's input and change events
  // would reset the controlled select before its own onChange sees the new value.
  const mark = () => path && touch(path);
  return (
    <div className={`field ${className ?? ''}`} onChange={mark}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(message ? { 'aria-invalid': true } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      {message && <p className="error" id={`${id}-error`}>{message}</p>}
    </div>
  );
}

/** An error that belongs to a group rather than one control (e.g. "Choose at least one tag"). */
export function GroupError({ path }: { path: string }) {
  const message = useFieldError(path);
  return message ? <p className="error" role="alert">{message}</p> : null;
}
