import { useEffect } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { FINAL_RUN_STATUSES, RunPage, type RunStatus } from '../../lib/contracts/runs';
import { keepBackgroundAwake } from '../../lib/extension/keepalive';
import { onPush } from '../../lib/extension/messaging';
import { request } from './api';

export interface RunFilter {
  workflowId: string;
  status: RunStatus | '';
  contactId: string;
  /** A user id: the runs they launched from a shortcut; empty or left out: anyone's (and triggers'). */
  launchedBy?: string;
  /** A user id: the reruns they started (a rerun keeps its first run's launcher); empty or left out: anyone's. */
  rerunBy?: string;
  /** Only the runs nobody ran again: with `failed`, the failed runs' count's (FailedRuns.tsx). */
  notRunAgain?: boolean;
  /** `datetime-local` values (the admin's local time, to the minute or the second); empty: unbounded. */
  since: string;
  until: string;
}

export const RUNS_KEY = 'runs';
/** A filter's pages. */
export const runsKey = (filter: RunFilter) => [RUNS_KEY, filter] as const;
const PAGE = 50;
/** Pushes come in bursts (queued, running, completed within milliseconds): one refetch for a burst. */
const BURST_MS = 250;

export function runsPath(filter: RunFilter, cursor?: string): string {
  const q = new URLSearchParams({ limit: String(PAGE) });
  if (filter.workflowId) q.set('workflowId', filter.workflowId);
  if (filter.status) q.set('status', filter.status);
  if (filter.contactId) q.set('contactId', filter.contactId);
  if (filter.launchedBy) q.set('launchedBy', filter.launchedBy);
  if (filter.rerunBy) q.set('rerunBy', filter.rerunBy);
  if (filter.notRunAgain) q.set('runAgain', 'false');
  const iso = (local: string) => (local ? new Date(local) : null);
  const since = iso(filter.since);
  const until = iso(filter.until);
  if (since && !Number.isNaN(since.getTime())) q.set('since', since.toISOString());
  if (until && !Number.isNaN(until.getTime())) q.set('until', until.toISOString());
  if (cursor) q.set('cursor', cursor);
  return `/runs?${q}`;
}

/**
 * The filtered run history, page by page, kept live: every `run.updated` the background relays
 * from the server's event stream (a run created, started, finished, cancelled) refetches the
 * pages shown. While the page is open it keeps the background's stream open. A 2 s poll while
 * a shown run is unfinished covers a stream that is down.
 */
export function useRunHistory(filter: RunFilter) {
  const client = useQueryClient();
  useEffect(() => keepBackgroundAwake(), []);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = onPush((push) => {
      if (push.type !== 'run.updated') return;
      clearTimeout(timer);
      timer = setTimeout(() => void client.invalidateQueries({ queryKey: [RUNS_KEY] }), BURST_MS);
    });
    return () => { clearTimeout(timer); stop(); };
  }, [client]);

  return useInfiniteQuery({
    queryKey: runsKey(filter),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => request(RunPage, 'GET', runsPath(filter, pageParam)),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.runs.some((r) => !FINAL_RUN_STATUSES.includes(r.status))) ? 2000 : false),
  });
}
