import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, type AuthValues } from '../../lib/contracts/apps';
import { ApiFailure, errorMessage, request } from './api';
import { detailsToMap } from './error-paths';
import { InstallForm } from './InstallForm';
import { keys } from './queries';

/**
 * After `npm run forget-secrets` forgot an installed app's install values: the install form again,
 * saved with PUT /apps/:id/install/auth-values. Uninstalling to enter them is refused while
 * published workflows use the app, so this is the way back that keeps them published.
 */
export function ReenterInstallValues({ app }: { app: App }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const save = useMutation({
    mutationFn: (authValues: AuthValues) =>
      request(App, 'PUT', `/apps/${encodeURIComponent(app.id)}/install/auth-values`, { authValues }),
    onSuccess: () => { setOpen(false); void client.invalidateQueries({ queryKey: keys.apps }); },
  });
  const fieldErrors = useMemo(() => (save.error instanceof ApiFailure ? detailsToMap(save.error.details) : undefined), [save.error]);
  // A refusal no field explains (409, 404, the server gone) is said under the form.
  const otherError = save.error && !(fieldErrors && Object.keys(fieldErrors).some((k) => k.startsWith('authValues.'))) ? save.error : null;
  if (!open) return <button type="button" className="small" onClick={() => { save.reset(); setOpen(true); }}>Enter install values again</button>;
  return (
    <div aria-label={`Install values of ${app.manifest.name}`} role="group">
      <InstallForm inputs={app.manifest.authInputs} submitting={save.isPending} serverErrors={fieldErrors}
        submitLabels={['Save install values', 'Saving…']} onSubmit={(v) => save.mutate(v)} onCancel={() => setOpen(false)} />
      {otherError && <p className="error" role="alert">{errorMessage(otherError)}</p>}
    </div>
  );
}
