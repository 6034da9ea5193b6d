import { useId, useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppManifestBody, AppRegistered, type AppManifest } from '../../lib/contracts/apps';
import { ApiFailure, errorMessage, request } from './api';
import { CopyButton } from './CopyButton';
import { detailsToMap, issuesToMap, type ErrorMap } from './error-paths';
import { ErrorSummary } from './ErrorSummary';
import { keys } from './queries';

/** A refusal as the editor shows it: 422 details by path, anything else (a 409) as one message. */
export type ManifestProblems = { paths: ErrorMap } | { message: string } | undefined;

export function serverProblems(err: unknown): ManifestProblems {
  if (!err) return undefined;
  return err instanceof ApiFailure && err.details.length ? { paths: detailsToMap(err.details) } : { message: errorMessage(err) };
}

interface EditorProps {
  initial?: string;
  submitLabel: string;
  pending: boolean;
  /** What the server said about the last submit (cleared by the caller when it submits again). */
  serverError?: ManifestProblems;
  onSubmit: (manifest: AppManifest) => void;
  onCancel?: () => void;
}

/** A manifest as JSON: checked against the contract before it is sent, the server's refusal shown under it. */
export function ManifestEditor({ initial = '', submitLabel, pending, serverError, onSubmit, onCancel }: EditorProps) {
  const id = useId();
  const [text, setText] = useState(initial);
  const [local, setLocal] = useState<ManifestProblems>();
  const problems = local ?? serverError;
  const submit = () => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      setLocal({ message: `Not JSON: ${errorMessage(err)}` });
      return;
    }
    const parsed = AppManifestBody.safeParse(json);
    if (!parsed.success) {
      setLocal({ paths: issuesToMap(parsed.error.issues) });
      return;
    }
    setLocal(undefined);
    onSubmit(parsed.data);
  };
  return (
    <div className="manifest-editor">
      <label htmlFor={id}>Manifest (JSON)</label>
      <textarea id={id} rows={10} className="mono" value={text} placeholder='{ "key": "payments", "name": "Payments", … }' onChange={(e) => setText(e.target.value)} />
      <div className="row">
        <button type="button" className="primary" disabled={!text.trim() || pending} onClick={submit}>{submitLabel}</button>
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
      </div>
      {problems && 'paths' in problems && <ErrorSummary title="The manifest has problems:" errors={problems.paths} />}
      {problems && 'message' in problems && <p className="error" role="alert">{problems.message}</p>}
    </div>
  );
}

/** Register an app from its manifest (pasted JSON); the signing secret is shown this once. */
export function RegisterApp() {
  const client = useQueryClient();
  // A new editor (emptied) after each registration.
  const [round, setRound] = useState(0);
  const register = useMutation({
    mutationFn: (manifest: AppManifest) => request(AppRegistered, 'POST', '/apps', manifest),
    onSuccess: () => { setRound((r) => r + 1); void client.invalidateQueries({ queryKey: keys.apps }); },
  });
  const serverError = useMemo(() => serverProblems(register.error), [register.error]);
  return (
    <details className="panel register">
      <summary>Register an app from its manifest</summary>
      <ManifestEditor key={round} submitLabel="Register app" pending={register.isPending} serverError={serverError} onSubmit={(m) => register.mutate(m)} />
      {register.data && (
        <div className="notice" role="status">
          <strong>{register.data.app.manifest.name} is registered.</strong> Give the app’s server this signing secret now; it is not shown again:
          <code className="secret">{register.data.signingSecret}</code>
          <div className="row"><CopyButton text={register.data.signingSecret} label="Copy secret" /></div>
        </div>
      )}
    </details>
  );
}
