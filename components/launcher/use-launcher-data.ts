import { useCallback, useEffect, useRef, useState } from 'react';
import type { LauncherApi } from './types';
import type { LauncherData } from './disabled-reason';

const FRESH_MS = 30_000;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Shortcuts and connection from the background: the cached list at once, then a revalidation;
 * `shortcuts.changed` / `connection.changed` pushes refetch without a reload.
 */
export function useLauncherData(api: LauncherApi): LauncherData & { refresh(force?: boolean): void } {
  const [data, setData] = useState<LauncherData>({ connection: null, list: null, failure: null });
  const fetchedAt = useRef(0);

  const fetchAll = useCallback(async (refresh: boolean) => {
    const [connection, list] = await Promise.allSettled([api.getConnection(), api.listShortcuts({ refresh })]);
    fetchedAt.current = Date.now();
    setData((prev) => {
      const next = {
        connection: connection.status === 'fulfilled' ? connection.value : prev.connection,
        list: list.status === 'fulfilled' ? list.value : prev.list,
        failure: list.status === 'rejected' ? message(list.reason) : null,
      };
      // Same version, same state: keep the old objects so nothing re-renders.
      const same = (a: typeof prev.list, b: typeof prev.list) =>
        !!a && !!b && a.version === b.version && a.stale === b.stale && a.allowed === b.allowed && a.reason === b.reason;
      if (same(prev.list, next.list)) next.list = prev.list;
      if (JSON.stringify(prev.connection) === JSON.stringify(next.connection)) next.connection = prev.connection;
      return next.list === prev.list && next.connection === prev.connection && next.failure === prev.failure ? prev : next;
    });
  }, [api]);

  useEffect(() => {
    let alive = true;
    const guarded = (refresh: boolean) => (alive ? fetchAll(refresh) : Promise.resolve());
    void guarded(false).then(() => guarded(true));
    const stop = api.onPush((push) => {
      // The cache may or may not be refreshed yet when the push arrives: read it, then revalidate.
      if (push.type === 'shortcuts.changed') void guarded(false).then(() => guarded(true));
      if (push.type === 'connection.changed') void guarded(true);
    });
    return () => {
      alive = false;
      stop();
    };
  }, [api, fetchAll]);

  // Pushes keep the list current; opening the menu revalidates only what may be out of date.
  const refresh = useCallback((force = false) => {
    const fresh = Date.now() - fetchedAt.current < FRESH_MS && data.connection?.state === 'connected' && data.list?.stale === false;
    if (force || !fresh) void fetchAll(true);
  }, [fetchAll, data.connection, data.list]);

  return { ...data, refresh };
}
