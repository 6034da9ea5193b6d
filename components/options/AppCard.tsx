import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, AppSigningSecret, Installation, type AppManifest, type AuthValues } from '../../lib/contracts/apps';
import { ApiFailure, errorMessage, NoBody, request } from './api';
import { AppApiKey } from './AppApiKey';
import { AppDeliveries } from './AppDeliveries';
import { CopyButton } from './CopyButton';
import { detailsToMap } from './error-paths';
import { InstallForm } from './InstallForm';
import { ReenterInstallValues } from './ReenterInstallValues';
import { keys } from './queries';
import { AppBuilder } from './app-builder/AppBuilder';
import { SCOPE_WORDS } from './app-builder/words';
import { type AllowedHost, type MediaKey, privateMediaHost, privateMediaUrlProblem } from '../../lib/contracts/app-media-url';

/**
 * A manifest stored before private addresses were refused (app-media-url.ts) still gets no request
 * into the admin's network, unless the server's allow-list permits its host (`privateMediaShown`).
 */
const shownMedia = (app: App, key: MediaKey) => {
  const url = app.manifest[key];
  return url && (!privateMediaUrlProblem(url) || app.privateMediaShown?.includes(key)) ? url : undefined;
};

/** The hosts of the media the server shows although private: editing the manifest keeps them. */
function shownPrivateHosts(app: App): AllowedHost {
  const hosts = new Set((app.privateMediaShown ?? []).map((key) => privateMediaHost(app.manifest[key] ?? '')));
  return (host) => hosts.has(host);
}

/** What an admin sees before installing an app; install/uninstall, its API key, and manage (edit, delete, rotate). */
export function AppCard({ app, onDeleted }: { app: App; onDeleted?: (name: string) => void }) {
  const client = useQueryClient();
  const m = app.manifest;
  const logoUrl = shownMedia(app, 'logoUrl'), coverUrl = shownMedia(app, 'coverUrl'), videoUrl = shownMedia(app, 'videoUrl');
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
  const manage = useManageApp(app, onDeleted);
  const error = install.error ?? uninstall.error ?? manage.error;
  const installErrors = useMemo(() => (install.error instanceof ApiFailure ? detailsToMap(install.error.details) : undefined), [install.error]);
  return (
    <article className="app-card" aria-label={m.name}>
      {coverUrl && !broken.cover && <img className="cover" src={coverUrl} alt={`${m.name} cover`} onError={() => setBroken((b) => ({ ...b, cover: true }))} />}
      <div className="app-body">
        <div className="app-title">
          {logoUrl && !broken.logo
            ? <img className="logo" src={logoUrl} alt={`${m.name} logo`} onError={() => setBroken((b) => ({ ...b, logo: true }))} />
            : <span className="logo placeholder" aria-hidden="true">{m.name.slice(0, 1)}</span>}
          <div>
            <h3>{m.name}</h3>
            <span className="muted">{app.key}</span>
          </div>
          <span className="spacer" />
          {app.installation && <span className="badge badge-published">Installed</span>}
        </div>
        {m.description && <p>{m.description}</p>}
        {videoUrl && <p><a href={videoUrl} target="_blank" rel="noreferrer">Watch the video</a></p>}
        <h4>Permissions requested</h4>
        {m.scopes.length === 0 ? <p className="hint">None</p> : <ul className="scopes" aria-label="Permissions requested">{m.scopes.map((s) => <li key={s}>{SCOPE_WORDS[s]} <code>{s}</code></li>)}</ul>}
        <p className="hint">
          {m.triggers.length} trigger{m.triggers.length === 1 ? '' : 's'}{m.triggers.length ? `: ${m.triggers.map((t) => t.name).join(', ')}` : ''} ·{' '}
          {m.actions.length} action{m.actions.length === 1 ? '' : 's'}{m.actions.length ? `: ${m.actions.map((a) => a.name).join(', ')}` : ''}
        </p>
        {app.forgottenSecrets?.length ? <ForgottenSecrets app={app} what={app.forgottenSecrets} /> : null}
        {error && <p className="error" role="alert">{errorMessage(error)}</p>}
        <WorkflowsInUse error={error} />
        <AppDeliveries app={app} />
        {manage.panel}
        {app.installation && <AppApiKey app={app} installation={app.installation} />}
        {app.installation ? (
          <button type="button" className="danger" disabled={uninstall.isPending}
            onClick={() => { if (confirm(`Uninstall ${m.name}? Its key stops working and its server is told. Workflows that use its triggers or actions must be unpublished or changed first.`)) uninstall.mutate(); }}>
            {uninstall.isPending ? 'Uninstalling…' : 'Uninstall'}
          </button>
        ) : installing ? (
          <InstallForm inputs={m.authInputs} submitting={install.isPending} serverErrors={installErrors} onSubmit={(v) => install.mutate(v)} onCancel={() => setInstalling(false)} />
        ) : (
          <button type="button" className="primary" onClick={() => setInstalling(true)}>Install {m.name}</button>
        )}
        {manage.buttons}
      </div>
    </article>
  );
}

/**
 * What the server forgot with its lost secret key (npm run forget-secrets), and the way back for
 * each: without it the card looked fine while every request to the app was refused.
 */
function ForgottenSecrets({ app, what }: { app: App; what: NonNullable<App['forgottenSecrets']> }) {
  return (
    <section className="summary warn" aria-label="Forgotten credentials">
      <strong>Forgotten when the server’s secret key was replaced:</strong>
      <ul>
        {what.includes('signingSecret') && <li>the signing secret: Rotate signing secret below and give the new one to the app’s server; nothing is sent to the app until then.</li>}
        {what.includes('authValues') && (
          <li>
            the values entered on install: enter them again; the app’s actions and a new API key wait for them.
            {app.installation && <ReenterInstallValues app={app} />}
          </li>
        )}
      </ul>
    </section>
  );
}

/**
 * The workflows a refusal names (409 `app_in_use`, one detail `workflows.<id>` each), as links to
 * their editors: what to unpublish or change before the app can be uninstalled.
 */
function WorkflowsInUse({ error }: { error: Error | null }) {
  const uses = error instanceof ApiFailure ? error.details.filter((d) => d.path.startsWith(WORKFLOW_PATH)) : [];
  if (uses.length === 0) return null;
  return (
    <ul className="in-use" aria-label="Workflows using this app">
      {uses.map((d) => <li key={d.path}><a href={`#/workflows/${encodeURIComponent(d.path.slice(WORKFLOW_PATH.length))}`}>{d.message}</a></li>)}
    </ul>
  );
}
const WORKFLOW_PATH = 'workflows.';

/**
 * Edit the manifest, rotate the signing secret, delete the app. The server's refusals (a 409
 * naming the workflows that use what an edit drops, "uninstall it first") stay in the card.
 */
function useManageApp(app: App, onDeleted?: (name: string) => void) {
  const client = useQueryClient();
  const name = app.manifest.name;
  const path = `/apps/${encodeURIComponent(app.id)}`;
  const [editing, setEditing] = useState(false);
  const allowedMedia = useMemo(() => shownPrivateHosts(app), [app]);
  const refresh = () => client.invalidateQueries({ queryKey: keys.apps });
  const edit = useMutation({
    mutationFn: (manifest: AppManifest) => request(App, 'PUT', path, manifest),
    onSuccess: () => { setEditing(false); void refresh(); },
  });
  // Refreshed: a rotation ends a forgotten secret's notice (forgottenSecrets).
  const rotate = useMutation({
    mutationFn: (force: boolean) => request(AppSigningSecret, 'POST', `${path}/signing-secret/rotate${force ? '?force=true' : ''}`),
    onSuccess: () => void refresh(),
  });
  const remove = useMutation({
    mutationFn: () => request(NoBody, 'DELETE', path),
    onSuccess: () => { onDeleted?.(name); void refresh(); },
  });
  const startOver = () => { edit.reset(); rotate.reset(); remove.reset(); };
  // A second rotation while the first one's old secret still signs (409): the admin may insist.
  const rotatingAgain = rotate.error instanceof ApiFailure && rotate.error.status === 409;

  const panel = (
    <>
      {editing && (
        <AppBuilder initial={app.manifest} submitLabel="Save manifest" pending={edit.isPending} allowedMedia={allowedMedia}
          error={edit.error} onSubmit={(m) => edit.mutate(m)} onCancel={() => { setEditing(false); edit.reset(); }} />
      )}
      {edit.isSuccess && !editing && (
        <p className="hint" role="status">
          Manifest saved.{edit.data.installation?.scopesToGrant.length ? ' The new permissions are not granted yet: grant them under API key.' : ''}
        </p>
      )}
      {rotate.data && (
        <div className="notice" role="status">
          <strong>New signing secret.</strong> Give it to the app’s server now; it is not shown again.{' '}
          {rotate.data.previousSecretExpiresAt
            ? `Until ${new Date(rotate.data.previousSecretExpiresAt).toLocaleString()} every request also carries a signature made with the previous secret, so the app’s server keeps accepting them in the meantime:`
            : 'The forgotten secret is not used again: requests are signed with this one alone, so the app’s server refuses them until it has it:'}
          <code className="secret">{rotate.data.signingSecret}</code>
          <div className="row">
            <CopyButton text={rotate.data.signingSecret} label="Copy secret" />
            <button type="button" className="small" onClick={startOver}>Done</button>
          </div>
        </div>
      )}
      {rotatingAgain && (
        <div className="row">
          <button type="button" className="small danger" disabled={rotate.isPending}
            onClick={() => { if (confirm(`Rotate anyway? The secret rotated out last time stops signing now; an app’s server still holding only that one refuses every request until it is given the new one.`)) rotate.mutate(true); }}>
            Rotate anyway
          </button>
        </div>
      )}
    </>
  );
  const buttons = editing ? null : (
    <div className="row app-manage">
      <button type="button" className="small" onClick={() => { startOver(); setEditing(true); }}>Edit manifest</button>
      <button type="button" className="small" disabled={rotate.isPending}
        onClick={() => {
          const ask = app.forgottenSecrets?.includes('signingSecret')
            ? `Rotate the signing secret of ${name}? The forgotten one is not used again: requests are signed with the new secret alone, so the app’s server must be given it.`
            : `Rotate the signing secret of ${name}? Requests are signed with the new secret at once, and with the current one too for 24 hours; the app’s server must be given the new one before then.`;
          if (!confirm(ask)) return;
          startOver();
          rotate.mutate(false);
        }}>
        {rotate.isPending ? 'Rotating…' : 'Rotate signing secret'}
      </button>
      <button type="button" className="small danger" disabled={remove.isPending}
        onClick={() => {
          if (!confirm(`Delete ${name}? It is removed from the workspace; registering it again gives it a new id and secret.`)) return;
          startOver();
          remove.mutate();
        }}>
        {remove.isPending ? 'Deleting…' : 'Delete app'}
      </button>
    </div>
  );
  return { panel, buttons, error: remove.error ?? rotate.error };
}
