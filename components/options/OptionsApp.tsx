import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { onPush, sendMessage } from '../../lib/extension/messaging';
import { errorMessage } from './api';
import { ConnectPanel } from './ConnectPanel';
import { Shell } from './Shell';

/** The options page: connect first, then the console shaped by the connected user's role. */
export function OptionsApp() {
  const client = useQueryClient();
  const connection = useQuery({ queryKey: ['connection'], queryFn: () => sendMessage('getConnection') });
  useEffect(() => onPush((push) => {
    if (push.type === 'connection.changed') void client.invalidateQueries({ queryKey: ['connection'] });
  }), [client]);
  if (connection.isPending) return <p role="status" className="loading">Loading…</p>;
  if (connection.isError) return <p className="error" role="alert">The extension’s background did not answer: {errorMessage(connection.error)}</p>;
  const state = connection.data;
  if (state.state === 'connected') return <Shell me={state.me} serverUrl={state.serverUrl} />;
  if (state.state === 'unreachable' && state.me) {
    return <Shell me={state.me} serverUrl={state.serverUrl} offline={`The server is unreachable: ${state.error}. Changes cannot be saved until it is back.`} />;
  }
  return <ConnectPanel state={state} />;
}
