import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppManifest, AppRegistered } from '../../lib/contracts/apps';
import { ApiFailure, errorMessage, request } from './api';
import { detailsToMap, issuesToMap, type ErrorMap } from './error-paths';
import { ErrorSummary } from './ErrorSummary';
import { keys } from './queries';

/** Register an app from its manifest (pasted JSON); the signing secret is shown this once. */
export function RegisterApp() {
  const id = useId();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<ErrorMap>({});
  const register = useMutation({
    mutationFn: (manifest: AppManifest) => request(AppRegistered, 'POST', '/apps', manifest),
    onSuccess: () => { setText(''); void client.invalidateQueries({ queryKey: keys.apps }); },
    onError: (err) => setErrors(err instanceof ApiFailure && err.details.length ? detailsToMap(err.details) : { '': errorMessage(err) }),
  });
  const submit = () => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      setErrors({ '': `Not JSON: ${errorMessage(err)}` });
      return;
    }
    const parsed = AppManifest.safeParse(json);
    if (!parsed.success) {
      setErrors(issuesToMap(parsed.error.issues));
      return;
    }
    setErrors({});
    register.mutate(parsed.data);
  };
  return (
    <details className="panel register">
      <summary>Register an app from its manifest</summary>
      <label htmlFor={id}>Manifest (JSON)</label>
      <textarea id={id} rows={10} className="mono" value={text} placeholder='{ "key": "payments", "name": "Payments", … }' onChange={(e) => setText(e.target.value)} />
      <button type="button" className="primary" disabled={!text.trim() || register.isPending} onClick={submit}>Register app</button>
      <ErrorSummary title="The manifest has problems:" errors={errors} />
      {register.data && (
        <div className="notice" role="status">
          <strong>{register.data.app.manifest.name} is registered.</strong> Give the app’s server this signing secret now; it is not shown again:
          <code className="secret">{register.data.signingSecret}</code>
        </div>
      )}
    </details>
  );
}
