import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Installation, type App, type AuthValues } from '../../lib/contracts/apps';
import { errorMessage, NoBody, request } from './api';
import { InstallForm } from './InstallForm';
import { keys } from './queries';

/** What an admin sees before installing an app, and install/uninstall. */
export function AppCard({ app }: { app: App }) {
  const client = useQueryClient();
  const m = app.manifest;
  const [installing, setInstalling] = useState(false);
  const refresh = () => client.invalidateQueries({ queryKey: keys.apps });
  const install = useMutation({
    mutationFn: (authValues: AuthValues) => request(Installation, 'POST', `/apps/${encodeURIComponent(app.id)}/install`, { authValues }),
    onSuccess: () => { setInstalling(false); void refresh(); },
  });
  const uninstall = useMutation({
    mutationFn: () => request(NoBody, 'DELETE', `/apps/${encodeURIComponent(app.id)}/install`),
    onSuccess: () => void refresh(),
  });
  const error = install.error ?? uninstall.error;
  return (
    <article className="app-card" aria-label={m.name}>
      {m.coverUrl && <img className="cover" src={m.coverUrl} alt="" />}
      <div className="app-body">
        <div className="app-title">
          {m.logoUrl ? <img className="logo" src={m.logoUrl} alt={`${m.name} logo`} /> : <span className="logo placeholder" aria-hidden="true">{m.name.slice(0, 1)}</span>}
          <div>
            <h3>{m.name}</h3>
            <span className="muted">{app.key}</span>
          </div>
          <span className="spacer" />
          {app.installation && <span className="badge badge-published">Installed</span>}
        </div>
        {m.description && <p>{m.description}</p>}
        {m.videoUrl && <p><a href={m.videoUrl} target="_blank" rel="noreferrer">Watch the video</a></p>}
        <h4>Permissions requested</h4>
        {m.scopes.length === 0 ? <p className="hint">None</p> : <ul className="scopes">{m.scopes.map((s) => <li key={s}><code>{s}</code></li>)}</ul>}
        <p className="hint">
          {m.triggers.length} trigger{m.triggers.length === 1 ? '' : 's'}{m.triggers.length ? `: ${m.triggers.map((t) => t.name).join(', ')}` : ''} ·{' '}
          {m.actions.length} action{m.actions.length === 1 ? '' : 's'}{m.actions.length ? `: ${m.actions.map((a) => a.name).join(', ')}` : ''}
        </p>
        {error && <p className="error" role="alert">{errorMessage(error)}</p>}
        {app.installation ? (
          <button type="button" className="danger" disabled={uninstall.isPending}
            onClick={() => { if (confirm(`Uninstall ${m.name}? Its key stops working.`)) uninstall.mutate(); }}>
            {uninstall.isPending ? 'Uninstalling…' : 'Uninstall'}
          </button>
        ) : installing ? (
          <InstallForm inputs={m.authInputs} submitting={install.isPending} onSubmit={(v) => install.mutate(v)} onCancel={() => setInstalling(false)} />
        ) : (
          <button type="button" className="primary" onClick={() => setInstalling(true)}>Install {m.name}</button>
        )}
      </div>
    </article>
  );
}
