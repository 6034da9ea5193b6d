import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RetryNowResult, RunQueueSummary } from '../../lib/contracts/runs';
import { errorMessage, request } from './api';
import { RUNS_KEY } from './use-run-history';

const SUMMARY_KEY = ['runs-summary'] as const;

const ago = (iso: string) => {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
};

/**
 * What the engine has in hand, above the run history: runs ready and how long the oldest has
 * waited (is it keeping up?), queued behind an earlier run of the same contact (held, not
 * late: each starts when the one before it ends), running, waiting, and those waiting to try a step again after an
 * outside system was busy or down, with "Try them now" for when it is back. Quiet when it cannot
 * be read: the history below is what the page is for.
 */
export function QueueSummary() {
  const client = useQueryClient();
  const summary = useQuery({ queryKey: SUMMARY_KEY, queryFn: () => request(RunQueueSummary, 'GET', '/runs/summary'), refetchInterval: 5_000 });
  const retry = useMutation({
    mutationFn: () => request(RetryNowResult, 'POST', '/runs/retry-now'),
    onSettled: () => { void client.invalidateQueries({ queryKey: SUMMARY_KEY }); void client.invalidateQueries({ queryKey: [RUNS_KEY] }); },
  });
  const s = summary.data;
  if (!s) return null;
  return (
    <p className="hint queue-summary" role="status" aria-label="Engine queue">
      {s.ready} ready{s.oldestReadyAt ? ` (oldest queued ${ago(s.oldestReadyAt)} ago)` : ''}
      {s.waitingBehind > 0 ? ` · ${s.waitingBehind} waiting behind an earlier run of the same contact` : ''} · {s.running} running · {s.waiting} waiting
      {s.retrying > 0 && (
        <>
          {' '}({s.retrying} to try a step again){' '}
          <button type="button" className="small" disabled={retry.isPending} onClick={() => retry.mutate()}>
            {retry.isPending ? 'Trying…' : 'Try them now'}
          </button>
        </>
      )}
      {retry.data && <span> · {retry.data.woken} woken</span>}
      {retry.isError && <span className="error" role="alert"> {errorMessage(retry.error)}</span>}
    </p>
  );
}
