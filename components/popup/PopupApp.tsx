import { browser } from 'wxt/browser';
import { useConnect, useConnection, useDisconnect } from '../../lib/extension/use-connection';
import { AdapterStatus } from './AdapterStatus';
import { ConnectForm } from './ConnectForm';
import { StatusPanel } from './StatusPanel';

/** The toolbar popup: connect when not connected, otherwise who am I and the connection state. */
export function PopupApp() {
  const connection = useConnection();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const openOptions = () => void browser.runtime.openOptionsPage();

  if (connection.isPending) return <p role="status">Loading…</p>;
  if (connection.isError) return <p role="alert">The extension's background did not answer: {connection.error.message}</p>;
  const state = connection.data;

  if (state.state === 'disconnected' || state.state === 'unauthorized') {
    return (
      <main>
        {state.state === 'unauthorized' && (
          <p className="error" role="alert">The server at {state.serverUrl} no longer accepts your token: {state.error}</p>
        )}
        <ConnectForm
          initialServerUrl={state.state === 'unauthorized' ? state.serverUrl : undefined}
          busy={connect.isPending}
          onConnect={(c) => connect.mutateAsync(c)}
        />
        <p><button type="button" className="link" onClick={openOptions}>Open options</button></p>
      </main>
    );
  }
  return (
    <main>
      <StatusPanel state={state} busy={disconnect.isPending} onDisconnect={() => disconnect.mutate()} onOpenOptions={openOptions} />
      <AdapterStatus />
    </main>
  );
}
