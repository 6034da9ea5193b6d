import { useQuery } from '@tanstack/react-query';
import { FailedRunCount } from '../../lib/contracts/runs';
import { request } from './api';
import { RUNS_KEY } from './use-run-history';

/**
 * An instant as a `datetime-local` value (local time, to the second): what the From filter holds.
 * The count's bound is to the second; rounded down to the minute, the list held up to a minute more.
 */
export function localInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Above the run history: how many runs failed in the last 24 hours and were not run again (a
 * failure run again is handled; the list still shows it, with its "Run again as"), every workflow's, and a
 * button narrowing the table to them. Failures were found one conversation at a time before.
 * Under the runs' key, so a pushed run.updated refreshes it with the table. Quiet when it cannot
 * be read (an older server), as the queue summary: the table below is what the page is for.
 */
export function FailedRuns({ onShow }: { onShow(sinceLocal: string): void }) {
  const count = useQuery({ queryKey: [RUNS_KEY, 'failed-count'], queryFn: () => request(FailedRunCount, 'GET', '/runs/failed-count'), refetchInterval: 60_000 });
  const c = count.data;
  if (!c) return null;
  return (
    <p className={c.failed ? 'notice warn failed-runs' : 'hint failed-runs'} role="status" aria-label="Failed runs">
      {c.failed === 0 ? 'No run failed in the last 24 hours without being run again.' : `${c.failed} ${c.failed === 1 ? 'run' : 'runs'} failed in the last 24 hours and ${c.failed === 1 ? 'was' : 'were'} not run again.`}
      {c.failed > 0 && <>{' '}<button type="button" className="small" onClick={() => onShow(localInput(c.since))}>Show failed runs</button></>}
    </p>
  );
}
