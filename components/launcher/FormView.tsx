import { useEffect, useRef } from 'react';
import type { ShortcutSummary } from '../../lib/contracts/shortcuts';
import type { ShortcutFormProps } from '../forms/ShortcutForm';
import { FormHost } from './FormHost';
import type { FormLoader } from './types';

interface Props {
  shortcut: ShortcutSummary;
  loader: FormLoader;
  formProps: ShortcutFormProps;
  /** Why this shortcut can no longer be launched (see unavailableText); null while it can. */
  unavailable: string | null;
  onBack(): void;
}

/**
 * A shortcut's form in the launcher's panel. When the shortcut goes away while the form is open
 * (an admin unpublished it), the form says so at once and cannot be sent: what was typed stays
 * readable, and the way out is the button beside the notice.
 */
export function FormView({ shortcut, loader, formProps, unavailable, onBack }: Props) {
  const host = useRef<HTMLFieldSetElement>(null);
  const back = useRef<HTMLButtonElement>(null);

  // The field the agent was typing in is disabled now and would drop focus to the page's body.
  useEffect(() => {
    if (!unavailable || !back.current) return;
    const active = (back.current.getRootNode() as Document | ShadowRoot).activeElement;
    if (!active || active === document.body || host.current?.contains(active)) back.current.focus();
  }, [unavailable]);

  return (
    <div className="ic-form-view">
      <header className="ic-form-header">
        <span className="ic-icon" aria-hidden="true">{shortcut.icon}</span>
        <div>
          <h2 className="ic-name">{shortcut.name}</h2>
          {shortcut.description && <p className="ic-description">{shortcut.description}</p>}
        </div>
      </header>
      {unavailable && (
        <div className="ic-unavailable" data-testid="launcher-form-unavailable">
          <p role="alert">{unavailable}</p>
          <button ref={back} type="button" className="ic-secondary" onClick={onBack}>Back to shortcuts</button>
        </div>
      )}
      {/* A disabled fieldset disables every control the form renderer draws, Launch included. */}
      <fieldset ref={host} className="ic-form-fieldset" disabled={unavailable !== null}>
        <FormHost loader={loader} props={formProps} />
      </fieldset>
    </div>
  );
}
