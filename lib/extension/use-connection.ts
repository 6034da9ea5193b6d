import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onPush, sendMessage } from './messaging';
import type { Connection, ConnectionState } from './protocol';

export const connectionKey = ['connection'] as const;

/** The background's connection state, refetched when the background says it changed. */
export function useConnection() {
  const client = useQueryClient();
  useEffect(() => onPush((push) => {
    if (push.type === 'connection.changed') void client.invalidateQueries({ queryKey: connectionKey });
  }), [client]);
  return useQuery({ queryKey: connectionKey, queryFn: () => sendMessage('getConnection') });
}

export function useConnect() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (c: Connection) => sendMessage('connect', c),
    onSuccess: (state: ConnectionState) => {
      if (state.state === 'connected') client.setQueryData(connectionKey, state);
    },
  });
}

export function useDisconnect() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => sendMessage('disconnect'),
    onSuccess: (state: ConnectionState) => client.setQueryData(connectionKey, state),
  });
}
