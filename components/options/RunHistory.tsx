import { Fragment, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FINAL_RUN_STATUSES, Run } from '../../lib/contracts/runs';
import { waitingText } from '../../lib/workflow/waiting-on';
import { waitsToRetry } from '../../lib/workflow/waits-to-retry';
import { errorMessage, request } from './api';
import { FailedRuns } from './FailedRuns';
import { QueueSummary } from './QueueSummary';
import { ContactName } from './RunContactName';
import { RunAgain, RunAllFailedAgain } from './RunAgain';
import { RunDetails } from './RunDetails';
import { ShownRun } from './ShownRun';
import { historyName, RunFilters, useRunHistoryWorkflows } from './RunFilters';
import { useWorkflow } from './queries';
import { StatusBadge } from './StatusBadge';
import { triggerLabel } from './trigger-labels';
import { LoadMoreButton } from './LoadMoreButton';
import { RUNS_KEY, runsKey, useRunHistory, type RunFilter } from './use-run-history';

/** Who launched a run from a shortcut; pressing it keeps only their runs. A trigger's run names no one. */
function LauncherName({ run, onPick }: { run: Run; onPick(id: string): void }) {
  const who = run.launchedBy;
  if (!who) return <span className="muted" title="Started by its trigger, not by a person">—</span>;
  return <button type="button" className="link launcher-name" title={`Only the runs ${who.name} launched`} onClick={() => onPick(who.id)}>{who.name}</button>;
}

function stepSummary(log: readonly { status: string }[]): string {
  const count = (status: string) => log.filter((s) => s.status === status).length;
  const parts = [`${count('completed')} done`];
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  if (count('retrying')) parts.push(`${count('retrying')} ${count('retrying') > 1 ? 'retries' : 'retry'}`);
  return parts.join(', ');
}

/** Beside a waiting run's status: what it waits for, and until when. */
function WaitingOn({ run }: { run: Run }) {
  const text = waitingText(run);
  return text ? <span className="muted waiting-on"> {text}</span> : null;
}

/**
 * "Try now" for a run waiting to try a step again (the outside system was busy or down): once it
 * is back, the step need not wait out its delay. Refetched either way, as CancelRun.
 */
function RetryNow({ run }: { run: Run }) {
  const client = useQueryClient();
  const retry = useMutation({
    mutationFn: () => request(Run, 'POST', `/runs/${encodeURIComponent(run.id)}/retry-now`),
    onSettled: () => client.invalidateQueries({ queryKey: [RUNS_KEY] }),
  });
  if (!waitsToRetry(run)) return null;
  return (
    <>
      <button type="button" className="small" disabled={retry.isPending} onClick={() => retry.mutate()}
        title={`Waiting to try step ${run.stepLog.at(-1)!.stepId} again${run.wakeAt ? ` at ${new Date(run.wakeAt).toLocaleTimeString()}` : ''}: ${run.stepLog.at(-1)!.error ?? ''}`}>
        {retry.isPending ? 'Trying…' : 'Try now'}
      </button>
      {retry.isError && <span className="error" role="alert">{errorMessage(retry.error)}</span>}
    </>
  );
}

/**
 * Cancels an unfinished run after a confirmation. The list is refetched either way: a refusal
 * (the run ended meanwhile) shows its real status, and the message stays beside it.
 */
function CancelRun({ run }: { run: Run }) {
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => request(Run, 'POST', `/runs/${encodeURIComponent(run.id)}/cancel`),
    onSettled: () => client.invalidateQueries({ queryKey: [RUNS_KEY] }),
  });
  const final = FINAL_RUN_STATUSES.includes(run.status);
  return (
    <>
      {!final && (
        <button type="button" className="small danger" disabled={cancel.isPending}
          onClick={() => { if (window.confirm('Cancel this run? Steps already done are not undone.')) cancel.mutate(); }}>
          {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
        </button>
      )}
      {cancel.isError && <span className="error" role="alert">{errorMessage(cancel.error)}</span>}
    </>
  );
}

interface Props {
  /** Opened from a workflow: its runs first (the filters widen it). Left out: every workflow's. */
  workflowId?: string;
  /**
   * Whether the reader configures (admins): the link back to the workflow, the engine's queue and
   * Try now. Supervisors read the same history without them; Cancel run stays (theirs too).
   */
  configure?: boolean;
}

/**
 * Run history, newest first, live (see useRunHistory): opened from a workflow it shows that
 * workflow's runs; the filters widen or narrow it to any workflow, status, launcher, contact and time.
 */
export function RunHistory({ workflowId = '', configure = true }: Props) {
  const workflow = useWorkflow(configure && workflowId ? workflowId : undefined);
  const workflows = useRunHistoryWorkflows();
  const [filter, setFilter] = useState<RunFilter>({ workflowId, status: '', contactId: '', launchedBy: '', since: '', until: '' });
  const [contactLabel, setContactLabel] = useState<string | null>(null);
  const runs = useRunHistory(filter);
  const [open, setOpen] = useState<string>();
  // A run opened from a link takes the keyboard's focus (the link's own row may close).
  const [shown, setShown] = useState<string>();
  const list = runs.data?.pages.flatMap((p) => p.runs) ?? [];
  const names = new Map((workflows.data?.workflows ?? []).map((w) => [w.id, historyName(w)]));
  const pickContact = (id: string, label: string | null) => { setContactLabel(label); setFilter({ ...filter, contactId: id }); };
  const allWorkflows = !filter.workflowId;
  const columns = allWorkflows ? 9 : 8;
  // The count is every workflow's failures nobody ran again, since its own bound to the second:
  // the table then shows exactly the runs it counted (it listed those run again too).
  const showFailed = (since: string) => setFilter({ workflowId: '', status: 'failed', contactId: '', launchedBy: '', notRunAgain: true, since, until: '' });
  // A run started by Run again: its workflow's runs, any status (it is not failed yet), it opened.
  const showRuns = (id?: string) => { setFilter({ workflowId: filter.workflowId, status: '', contactId: '', launchedBy: '', since: '', until: '' }); setOpen(id); setShown(id); };
  const toggle = (id: string) => { setOpen(open === id ? undefined : id); setShown(undefined); };
  const table = useRef<HTMLTableElement>(null);
  const fromIso = filter.since && !Number.isNaN(new Date(filter.since).getTime()) ? new Date(filter.since).toISOString() : undefined;
  return (
    <section aria-labelledby="runs-heading">
      <div className="page-head">
        {configure && workflowId && <a href={`#/workflows/${encodeURIComponent(workflowId)}`}>← {workflow.data?.name ?? 'Workflow'}</a>}
        <h2 id="runs-heading">Run history</h2>
        <span className="spacer" />
        <span className="live" title="New runs and status changes appear as they happen">Live</span>
        <button type="button" onClick={() => void runs.refetch()}>Refresh</button>
      </div>
      {configure && <QueueSummary />}
      <FailedRuns onShow={showFailed} />
      <RunFilters filter={filter} contactLabel={contactLabel} onChange={setFilter} onPickContact={pickContact} />
      {filter.workflowId && <RunAllFailedAgain workflowId={filter.workflowId} workflowName={names.get(filter.workflowId) ?? filter.workflowId} since={fromIso} onShowRuns={() => showRuns()} />}
      {runs.isError && <p className="error" role="alert">{errorMessage(runs.error)}</p>}
      {runs.isSuccess && list.length === 0 && <p className="empty">No runs match.</p>}
      {open && shown === open && runs.isSuccess && !list.some((r) => r.id === open) && <ShownRun id={open} onShow={showRuns} onClose={() => toggle(open)} />}
      {list.length > 0 && (
        // A narrow screen scrolls the table in its box, not the page (WCAG 1.4.10).
        <div className="table-wrap">
        <table ref={table} className="table" aria-label="Runs">
          <thead><tr><th>Started</th>{allWorkflows && <th>Workflow</th>}<th>Status</th><th>Contact</th><th>Trigger</th><th>Launched by</th><th>Version</th><th>Steps</th><th /></tr></thead>
          <tbody>
            {list.map((run) => (
              <Fragment key={run.id}>
                {/* Focusable from script only: "Load older runs" takes the keyboard to the first row it added. */}
                <tr data-run-id={run.id} tabIndex={-1}>
                  <td>{new Date(run.createdAt).toLocaleString()}</td>
                  {allWorkflows && <td>{names.get(run.workflowId) ?? <span className="mono">{run.workflowId}</span>}</td>}
                  <td><StatusBadge status={run.status} /><WaitingOn run={run} /></td>
                  <td><ContactName run={run} onPick={pickContact} /></td>
                  <td title={run.triggerEvent.type}>{triggerLabel(run.triggerEvent.type)}{run.rerunOf && <span className="muted" title={`Run again from failed run ${run.rerunOf}`}> · run again{run.rerunFromStep ? ` from step ${run.rerunFromStep}` : ''}</span>}</td>
                  <td><LauncherName run={run} onPick={(launchedBy) => setFilter({ ...filter, launchedBy })} /></td>
                  <td>v{run.workflowVersion}</td>
                  <td>{stepSummary(run.stepLog)}</td>
                  <td className="actions">
                    {configure && <RetryNow run={run} />}
                    <CancelRun run={run} />
                    <RunAgain run={run} onShow={showRuns} />
                    <button type="button" className="small" aria-expanded={open === run.id} onClick={() => toggle(run.id)}>
                      {open === run.id ? 'Hide' : 'Details'}
                    </button>
                  </td>
                </tr>
                {open === run.id && <tr className="details-row"><td colSpan={columns}><RunDetails run={run} onShow={showRuns} focus={shown === run.id} /></td></tr>}
              </Fragment>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <LoadMoreButton list={runs} queryKey={runsKey(filter)} keys={list.map((r) => r.id)} label="Load older runs"
        focusRow={(at) => table.current?.querySelectorAll<HTMLElement>('tbody > tr[data-run-id]')[at]?.focus()} />
    </section>
  );
}
