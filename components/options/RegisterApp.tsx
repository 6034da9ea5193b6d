import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppRegistered, type AppManifest } from '../../lib/contracts/apps';
import { request } from './api';
import { AppBuilder } from './app-builder/AppBuilder';
import { CopyButton } from './CopyButton';
import { keys } from './queries';

/** Register an app built in the form (or pasted as JSON); the signing secret is shown this once. */
export function RegisterApp() {
  const client = useQueryClient();
  // A new, empty builder after each registration.
  const [round, setRound] = useState(0);
  const register = useMutation({
    mutationFn: (manifest: AppManifest) => request(AppRegistered, 'POST', '/apps', manifest),
    onSuccess: () => { setRound((r) => r + 1); void client.invalidateQueries({ queryKey: keys.apps }); },
  });
  return (
    <details className="panel register">
      <summary>Register an app from its manifest</summary>
      <AppBuilder key={round} submitLabel="Register app" pending={register.isPending} error={register.error} onSubmit={(m) => register.mutate(m)} />
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
