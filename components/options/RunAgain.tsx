import { useEffect, useRef } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Run } from '../../lib/contracts/runs';
import { RERUN_BATCH_MAX, RerunRunsResult } from '../../lib/contracts/run-rerun';
import { errorMessage, request } from './api';
import { RUNS_KEY } from './use-run-history';

// "Run again" (n8n's "Retry execution") for failed runs, once their cause is fixed: one, or a
// workflow's all. Each starts a new run from the first step of the published version, so the
// confirmation says what repeats; the new run is named with a link that shows it.

/**
 * The result of a press takes the keyboard's focus once it comes: Run again's button is gone by
 * then, and focus would fall back to the page's top (WCAG 2.4.3). Not on a result shown on load.
 */
function useFocusOnResult<T extends HTMLElement>(result: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => { if (result) ref.current?.focus(); }, [result]);
  return ref;
}

const REPEATS = 'It starts over from the first step of the workflow as published now, with the same contact, conversation and trigger data: steps that already ran (a note, a message to the customer) run again.';

/** A run's id as a link that shows it in the table (its details opened). */
function RunLink({ id, onShow }: { id: string; onShow(id: string): void }) {
  return <button type="button" className="link mono" title="Show this run" onClick={() => onShow(id)}>{id}</button>;
}

/**
 * Beside a failed run: Run again, after a confirmation, then the new run's id. A failed run runs
 * again once: one that was already says by which run instead (its rerun, if it failed too, is the
 * one to run again). The list is refetched either way, as CancelRun does.
 */
export function RunAgain({ run, onShow }: { run: Run; onShow(id: string): void }) {
  const client = useQueryClient();
  const rerun = useMutation({
    mutationFn: () => request(Run, 'POST', `/runs/${encodeURIComponent(run.id)}/rerun`),
    onSettled: () => client.invalidateQueries({ queryKey: [RUNS_KEY] }),
  });
  const result = useFocusOnResult<HTMLSpanElement>(rerun.data);
  if (run.status !== 'failed') return null;
  const started = rerun.data?.id ?? run.rerunAs;
  if (started) return <span ref={result} tabIndex={-1} className="rerun-as" role="status">Run again as <RunLink id={started} onShow={onShow} /></span>;
  return (
    <>
      {/* aria-disabled, not disabled: a disabled button drops the keyboard's focus while it starts. */}
      <button type="button" className="small" aria-disabled={rerun.isPending}
        onClick={() => { if (!rerun.isPending && window.confirm(`Run this failed run again? ${REPEATS}`)) rerun.mutate(); }}>
        {rerun.isPending ? 'Starting…' : 'Run again'}
      </button>
      {rerun.isError && <span className="error" role="alert">{errorMessage(rerun.error)}</span>}
    </>
  );
}

interface BulkProps {
  workflowId: string;
  /** The workflow as the filter names it. */
  workflowName: string;
  /** The From filter's instant (ISO), if set: only failures since then. */
  since?: string | undefined;
  /** Shows the workflow's runs, the new ones first. */
  onShowRuns(): void;
}

/**
 * Above one workflow's runs: every failed run of it run again (those since the From filter),
 * after a confirmation; then how many started, and how many are left for another press (the
 * server takes at most 1,000 a call).
 */
export function RunAllFailedAgain({ workflowId, workflowName, since, onShowRuns }: BulkProps) {
  const client = useQueryClient();
  const rerun = useMutation({
    mutationFn: () => request(RerunRunsResult, 'POST', `/workflows/${encodeURIComponent(workflowId)}/runs/rerun`, { status: 'failed', ...(since ? { since } : {}) }),
    onSettled: () => client.invalidateQueries({ queryKey: [RUNS_KEY] }),
  });
  const result = useFocusOnResult<HTMLSpanElement>(rerun.data);
  const sinceText = since ? ` started since ${new Date(since).toLocaleString()}` : '';
  const done = rerun.data;
  return (
    <p className="rerun-failed">
      <button type="button" className="small" aria-disabled={rerun.isPending}
        onClick={() => { if (!rerun.isPending && window.confirm(`Run every failed run of “${workflowName}”${sinceText} again (up to ${RERUN_BATCH_MAX.toLocaleString()} at a time)? Each one not run again yet: ${REPEATS}`)) rerun.mutate(); }}>
        {rerun.isPending ? 'Starting…' : 'Run all failed again'}
      </button>
      {done && (
        <span ref={result} tabIndex={-1} role="status">
          {' '}{done.started === 0 ? 'No failed run was left to run again.' : `Started ${done.started} ${done.started === 1 ? 'run' : 'runs'} again.`}
          {done.remaining > 0 && ` ${done.remaining} more failed ${done.remaining === 1 ? 'run is' : 'runs are'} left: press again for the next ones.`}
          {done.started > 0 && <>{' '}<button type="button" className="link" onClick={onShowRuns}>Show them</button></>}
        </span>
      )}
      {rerun.isError && <span className="error" role="alert"> {errorMessage(rerun.error)}</span>}
    </p>
  );
}
