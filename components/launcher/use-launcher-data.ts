import { useCallback, useEffect, useState } from 'react';
import type { LauncherApi } from './types';
import type { LauncherData } from './disabled-reason';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Shortcuts and connection from the background: the cached list at once, then a revalidation;
 * `shortcuts.changed` / `connection.changed` pushes refetch without a reload.
 */
export function useLauncherData(api: LauncherApi): LauncherData & { refresh(): void } {
  const [data, setData] = useState<LauncherData>({ connection: null, list: null, failure: null });

  const fetchAll = useCallback(async (refresh: boolean) => {
    const [connection, list] = await Promise.allSettled([api.getConnection(), api.listShortcuts({ refresh })]);
    setData((prev) => ({
      connection: connection.status === 'fulfilled' ? connection.value : prev.connection,
      list: list.status === 'fulfilled' ? list.value : prev.list,
      failure: list.status === 'rejected' ? message(list.reason) : null,
    }));
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

  return { ...data, refresh: () => void fetchAll(true) };
}
