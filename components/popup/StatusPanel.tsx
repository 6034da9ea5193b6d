import type { ConnectionState } from '../../lib/extension/protocol';
import { OpenInbox } from './OpenInbox';

type Known = Exclude<ConnectionState, { state: 'disconnected' }>;

const LABEL: Record<Known['state'], string> = {
  connected: 'Connected',
  unreachable: 'Server unreachable',
  unauthorized: 'Token refused',
};

/** Who is signed in, where, and whether the server answers. */
export function StatusPanel(props: { state: Known; busy: boolean; onDisconnect: () => void; onOpenOptions: () => void }) {
  const { state } = props;
  const me = state.state === 'unauthorized' ? null : state.me;
  return (
    <section className="status" aria-labelledby="status-title">
      <h1 id="status-title">Inbox Companion</h1>
      <dl>
        {me && (
          <>
            <dt>Signed in as</dt>
            <dd data-testid="user-name">{me.user.name} <span className="muted">({me.user.email})</span></dd>
            <dt>Role</dt>
            <dd data-testid="user-role">{me.user.role}</dd>
          </>
        )}
        <dt>Server</dt>
        <dd>{state.serverUrl}</dd>
        <dt>Status</dt>
        <dd data-testid="connection-state" data-state={state.state} className={`state state-${state.state}`}>{LABEL[state.state]}</dd>
      </dl>
      {state.state !== 'connected' && <p className="error" role="alert">{state.error}</p>}
      {me && !me.permissions.launchShortcuts && <p className="muted">Shortcuts are turned off for you.</p>}
      <div className="actions">
        {state.state === 'connected' && <OpenInbox serverUrl={state.serverUrl} />}
        <button type="button" onClick={props.onOpenOptions}>Open options</button>
        <button type="button" onClick={props.onDisconnect} disabled={props.busy}>Disconnect</button>
      </div>
    </section>
  );
}
