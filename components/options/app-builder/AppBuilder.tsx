import { useEffect, useId, useRef } from 'react';
import type { AppManifest } from '../../../lib/contracts/apps';
import type { AllowedHost } from '../../../lib/contracts/app-media-url';
import { FieldErrorsContext } from '../errors-context';
import { ErrorSummary } from '../ErrorSummary';
import { ActionsSection } from './ActionsSection';
import { AppInfoSection } from './AppInfoSection';
import { AuthInputsSection } from './AuthInputsSection';
import { FieldsSection } from './FieldsSection';
import { ScopesSection } from './ScopesSection';
import { TriggersSection } from './TriggersSection';
import { useBuilder } from './use-builder';
import './app-builder.css';

interface Props {
  /** The registered app's manifest when editing one; its key cannot change. */
  initial?: AppManifest;
  submitLabel: string;
  pending: boolean;
  /** The last submit's refusal (cleared by the caller when it submits again). */
  error: unknown;
  onSubmit(manifest: AppManifest): void;
  onCancel?(): void;
  /** Private media hosts the server allow-lists (those its answer says it shows for the app being edited). */
  allowedMedia?: AllowedHost;
}

/**
 * The app builder (UChat's mini-app 2.0 settings, auth, fields, triggers and actions pages, on one
 * page): a form that builds the manifest POST and PUT /apps take, checked with the same contract,
 * or the manifest as JSON ("Edit as JSON", for developers who paste one), kept in step both ways.
 */
export function AppBuilder({ initial, submitLabel, pending, error, onSubmit, onCancel, allowedMedia }: Props) {
  const b = useBuilder(initial, error, onSubmit, allowedMedia);
  const jsonId = useId();
  const root = useRef<HTMLDivElement>(null);
  // After a refused submit or switch, the keyboard lands on the first input to fix.
  useEffect(() => {
    if (b.focusTick) root.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [b.focusTick]);
  const json = b.mode === 'json';
  const localProblems = b.showAll && !json ? b.clientErrors : {};
  return (
    <div className="app-builder" ref={root}>
      <div className="row builder-bar">
        <button type="button" className="small" aria-pressed={json} onClick={b.toggle}>Edit as JSON</button>
        <span className="hint">{json ? 'Press again to go back to the form.' : 'Or paste a whole manifest as JSON.'}</span>
      </div>
      {b.switchProblem && <p className="error" role="alert">{b.switchProblem}</p>}
      {!json && b.ignored.length > 0 && (
        <p className="hint" role="status">Left out (the manifest has no such keys; registering them as JSON is refused): {b.ignored.join(', ')}</p>
      )}
      {json ? (
        <div className="manifest-editor">
          <label htmlFor={jsonId}>Manifest (JSON)</label>
          <textarea id={jsonId} rows={14} className="mono" value={b.text} placeholder='{ "key": "payments", "name": "Payments", … }'
            onChange={(e) => b.setText(e.target.value)} />
        </div>
      ) : (
        <FieldErrorsContext.Provider value={b.fieldErrors}>
          <AppInfoSection draft={b.draft} onChange={b.setDraft} keyLocked={!!initial} />
          <ScopesSection draft={b.draft} onChange={b.setDraft} />
          <AuthInputsSection draft={b.draft} onChange={b.setDraft} />
          <FieldsSection draft={b.draft} onChange={b.setDraft} />
          <TriggersSection draft={b.draft} onChange={b.setDraft} />
          <ActionsSection draft={b.draft} onChange={b.setDraft} />
        </FieldErrorsContext.Provider>
      )}
      <div className="row">
        <button type="button" className="primary" disabled={pending || (json && !b.text.trim())} onClick={b.submit}>{submitLabel}</button>
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
      </div>
      {json && b.jsonProblems && 'paths' in b.jsonProblems && <ErrorSummary title="The manifest has problems:" errors={b.jsonProblems.paths} />}
      {json && b.jsonProblems && 'message' in b.jsonProblems && <p className="error" role="alert">{b.jsonProblems.message}</p>}
      {!b.refusal && <ErrorSummary title="The manifest has problems (each is marked at its input):" errors={localProblems} />}
      {b.refusal && Object.keys(b.refusal.paths).length > 0 && <ErrorSummary title={[b.refusal.lead, b.refusal.message].filter(Boolean).join(' ')} errors={b.refusal.paths} />}
      {b.refusal && Object.keys(b.refusal.paths).length === 0 && (
        <p className="error" role="alert">{b.refusal.lead && <strong>{b.refusal.lead} </strong>}{b.refusal.message}</p>
      )}
    </div>
  );
}
