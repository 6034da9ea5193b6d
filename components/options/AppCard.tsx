import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Installation, type App, type AuthValues } from '../../lib/contracts/apps';
import { ApiFailure, errorMessage, NoBody, request } from './api';
import { detailsToMap } from './error-paths';
import { InstallForm } from './InstallForm';
import { keys } from './queries';

const SCOPE_WORDS: Record<string, string> = {
  'contacts.read': 'Read contacts',
  'contacts.write': 'Create and edit contacts',
  'tags.read': 'Read tags',
  'tags.write': 'Add and remove tags',
  'conversations.read': 'Read conversations',
  'conversations.write': 'Open, assign and close conversations',
  'messages.write': 'Send messages',
};

/** What an admin sees before installing an app, and install/uninstall. */
export function AppCard({ app }: { app: App }) {
  const client = useQueryClient();
  const m = app.manifest;
  const [installing, setInstalling] = useState(false);
  // Pictures live on the app's own server: one that does not load leaves no broken-image icon.
  const [broken, setBroken] = useState<{ logo?: boolean; cover?: boolean }>({});
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
  const installErrors = useMemo(() => (install.error instanceof ApiFailure ? detailsToMap(install.error.details) : undefined), [install.error]);
  return (
    <article className="app-card" aria-label={m.name}>
      {m.coverUrl && !broken.cover && <img className="cover" src={m.coverUrl} alt={`${m.name} cover`} onError={() => setBroken((b) => ({ ...b, cover: true }))} />}
      <div className="app-body">
        <div className="app-title">
          {m.logoUrl && !broken.logo
            ? <img className="logo" src={m.logoUrl} alt={`${m.name} logo`} onError={() => setBroken((b) => ({ ...b, logo: true }))} />
            : <span className="logo placeholder" aria-hidden="true">{m.name.slice(0, 1)}</span>}
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
        {m.scopes.length === 0 ? <p className="hint">None</p> : <ul className="scopes" aria-label="Permissions requested">{m.scopes.map((s) => <li key={s}>{SCOPE_WORDS[s] ?? s} <code>{s}</code></li>)}</ul>}
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
          <InstallForm inputs={m.authInputs} submitting={install.isPending} serverErrors={installErrors} onSubmit={(v) => install.mutate(v)} onCancel={() => setInstalling(false)} />
        ) : (
          <button type="button" className="primary" onClick={() => setInstalling(true)}>Install {m.name}</button>
        )}
      </div>
    </article>
  );
}
