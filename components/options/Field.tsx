import { useId, useMemo, useState, type ReactNode } from 'react';
import type { ErrorMap } from './error-paths';
import { useFieldError, useTouch, type FieldErrors } from './errors-context';

export interface ControlProps {
  id: string;
  /** auto: names, labels and texts an admin types read in their own direction (Arabic, Hebrew). */
  dir: 'auto';
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
    <div className={`field ${className ?? ''}`} onChange={mark} data-path={path}>
      <label htmlFor={id}>{label}</label>
      {children({ id, dir: 'auto', ...(message ? { 'aria-invalid': true } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
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

/**
 * A settings form's own server errors, keyed by the Fields' `path`s: the value for
 * FieldErrorsContext (each message shows on its Field and goes when that field is edited), and
 * the setter for a refused save (`{}` before the next one).
 */
export function useServerFieldErrors(): [FieldErrors, (errors: ErrorMap) => void] {
  const [server, setServer] = useState<ErrorMap>({});
  const errors = useMemo<FieldErrors>(() => ({
    server, client: {}, showAll: true, touched: new Set(),
    touch: (path: string) => setServer((s) => {
      if (!(path in s)) return s;
      const { [path]: _gone, ...rest } = s;
      return rest;
    }),
  }), [server]);
  return [errors, setServer];
}

/** A form's overall failure, with the server's details that no field took (unless it says them already). */
export function FormError({ message, details = {} }: { message: string | undefined; details?: ErrorMap }) {
  if (!message) return null;
  const more = Object.values(details).filter((m) => !message.includes(m));
  return (
    <div className="error" role="alert">
      {message}
      {more.length > 0 && <ul>{more.map((m) => <li key={m}>{m}</li>)}</ul>}
    </div>
  );
}
