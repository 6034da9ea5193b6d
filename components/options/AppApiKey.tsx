import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppApiKeyRotated, type App, type Installation } from '../../lib/contracts/apps';
import type { Scope } from '../../lib/contracts/scopes';
import { ApiFailure, errorMessage, request } from './api';
import { keys } from './queries';
import { SCOPE_WORDS } from './app-builder/words';

const when = (iso: string) => new Date(iso).toLocaleString();
const words = (scopes: readonly Scope[]) => scopes.map((s) => SCOPE_WORDS[s]).join(', ');

type Rotation = { scopes: 'keep' | 'apply' } | 'revoke-previous';

/**
 * An installed app's API key: regenerate it (a leaked key, without uninstalling, which published
 * workflows prevent), grant the scopes an update added, and the state of a rotation its server did
 * not confirm (both keys work until a time). Each outcome in words; the server's message as it is.
 */
export function AppApiKey({ app, installation }: { app: App; installation: Installation }) {
  const client = useQueryClient();
  const name = app.manifest.name;
  const path = `/apps/${encodeURIComponent(app.id)}/install/api-key`;
  const rotate = useMutation({
    mutationFn: (what: Rotation) => request(AppApiKeyRotated, 'POST', what === 'revoke-previous' ? `${path}/revoke-previous` : `${path}/rotate${what.scopes === 'apply' ? '?scopes=apply' : ''}`),
    // An unconfirmed rotation changed the key too: the card shows the overlap from the app.
    onSettled: () => void client.invalidateQueries({ queryKey: keys.apps }),
  });
  const ask = (what: Rotation, question: string) => { if (confirm(question)) rotate.mutate(what); };
  const pending = rotate.isPending;
  const toGrant = installation.scopesToGrant;
  const overlap = installation.previousKeysExpireAt;

  return (
    <section className="api-key" aria-label="API key">
      <h4>API key</h4>
      {toGrant.length > 0 && (
        <div className="notice">
          The updated app asks for more permissions: <strong>{words(toGrant)}</strong>. Its key does not hold them until you grant them;
          its server then gets a new key that does.
          <div className="row">
            <button type="button" className="small primary" disabled={pending}
              onClick={() => ask({ scopes: 'apply' }, `Grant ${name} these permissions: ${words(toGrant)}? A new key holding them is sent to its server, and the current key stops working once the server confirms it stored the new one.`)}>
              Grant new scopes
            </button>
          </div>
        </div>
      )}
      {overlap && (
        <div className="notice warn">
          The app’s server did not confirm that it stored the newest key. Until {when(overlap)} the previous key works too, so the app
          works whichever it holds; after that only the newest key does. Regenerate again once its server answers, or revoke the previous key
          if you know the app has the new one.
          <div className="row">
            <button type="button" className="small danger" disabled={pending}
              onClick={() => ask('revoke-previous', `Revoke the previous API key of ${name} now? If its server did not store the newest key, it stops working until you regenerate the key again.`)}>
              Revoke the previous key now
            </button>
          </div>
        </div>
      )}
      <Outcome rotation={rotate.variables} data={rotate.data} error={rotate.error} name={name} />
      <div className="row">
        <button type="button" className="small" disabled={pending}
          onClick={() => ask({ scopes: 'keep' }, `Regenerate the API key of ${name}? A new key is sent to its server; once the server confirms it stored it, the current key stops working at once. Workflows using the app are not affected.`)}>
          {pending ? 'Sending the new key…' : overlap ? 'Regenerate again' : 'Regenerate API key'}
        </button>
      </div>
    </section>
  );
}

function Outcome({ rotation, data, error, name }: { rotation: Rotation | undefined; data: { installation: Installation } | undefined; error: Error | null; name: string }) {
  if (error) {
    const lead = error instanceof ApiFailure && error.code === 'subscribe_unconfirmed' ? 'Not confirmed' : 'Not regenerated';
    return <p className="error" role="alert">{rotation === 'revoke-previous' ? 'Not revoked' : lead}: {errorMessage(error)}</p>;
  }
  if (!data || !rotation) return null;
  if (rotation === 'revoke-previous') return <p className="hint" role="status">The previous key no longer works; only the newest key does.</p>;
  const granted = rotation.scopes === 'apply' ? ` It holds: ${words(data.installation.scopes) || 'no permissions'}.` : '';
  return <p className="hint" role="status">{name}’s server stored its new API key; the previous key no longer works.{granted}</p>;
}
