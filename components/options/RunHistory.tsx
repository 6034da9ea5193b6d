import { Fragment, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Contact } from '../../lib/contracts/contacts';
import { FINAL_RUN_STATUSES, Run } from '../../lib/contracts/runs';
import { errorMessage, request } from './api';
import { RunDetails } from './RunDetails';
import { keys, useRuns, useWorkflow } from './queries';
import { StatusBadge } from './StatusBadge';
import { triggerLabel } from './trigger-labels';

/** The contact's name (and phone) rather than its id; the id while loading or when it is gone. */
function ContactName({ id }: { id: string }) {
  const contact = useQuery({ queryKey: ['contacts', id], staleTime: 60_000, queryFn: () => request(Contact, 'GET', `/contacts/${encodeURIComponent(id)}`) });
  const c = contact.data;
  const name = c ? [c.firstName, c.lastName].filter(Boolean).join(' ') : '';
  if (!c) return <span className="mono">{id}</span>;
  return <span title={id}>{name || c.phone || c.email || id}{name && c.phone ? <span className="muted"> {c.phone}</span> : null}</span>;
}

function stepSummary(log: readonly { status: string }[]): string {
  const count = (status: string) => log.filter((s) => s.status === status).length;
  const parts = [`${count('completed')} done`];
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  return parts.join(', ');
}

/**
 * Cancels an unfinished run after a confirmation. The list is refetched either way: a refusal
 * (the run ended meanwhile) shows its real status, and the message stays beside it.
 */
function CancelRun({ run, workflowId }: { run: Run; workflowId: string }) {
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => request(Run, 'POST', `/runs/${encodeURIComponent(run.id)}/cancel`),
    onSettled: () => client.invalidateQueries({ queryKey: keys.runs(workflowId) }),
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

/** A workflow's runs, newest first; refreshed every 2 s while any is unfinished. */
export function RunHistory({ workflowId }: { workflowId: string }) {
  const workflow = useWorkflow(workflowId);
  const runs = useRuns(workflowId);
  const [open, setOpen] = useState<string>();
  const list = runs.data?.runs ?? [];
  const live = list.some((r) => !FINAL_RUN_STATUSES.includes(r.status));
  return (
    <section aria-labelledby="runs-heading">
      <div className="page-head">
        <a href={`#/workflows/${encodeURIComponent(workflowId)}`}>← {workflow.data?.name ?? 'Workflow'}</a>
        <h2 id="runs-heading">Run history</h2>
        <span className="spacer" />
        {live && <span className="live" role="status">Live</span>}
        <button type="button" onClick={() => void runs.refetch()}>Refresh</button>
      </div>
      {runs.isError && <p className="error" role="alert">{errorMessage(runs.error)}</p>}
      {runs.isSuccess && list.length === 0 && <p className="empty">No runs yet.</p>}
      {list.length > 0 && (
        <table className="table" aria-label="Runs">
          <thead><tr><th>Started</th><th>Status</th><th>Contact</th><th>Trigger</th><th>Version</th><th>Steps</th><th /></tr></thead>
          <tbody>
            {list.map((run) => (
              <Fragment key={run.id}>
                <tr>
                  <td>{new Date(run.createdAt).toLocaleString()}</td>
                  <td><StatusBadge status={run.status} /></td>
                  <td><ContactName id={run.contactId} /></td>
                  <td title={run.triggerEvent.type}>{triggerLabel(run.triggerEvent.type)}</td>
                  <td>v{run.workflowVersion}</td>
                  <td>{stepSummary(run.stepLog)}</td>
                  <td className="actions">
                    <CancelRun run={run} workflowId={workflowId} />
                    <button type="button" className="small" aria-expanded={open === run.id} onClick={() => setOpen(open === run.id ? undefined : run.id)}>
                      {open === run.id ? 'Hide' : 'Details'}
                    </button>
                  </td>
                </tr>
                {open === run.id && <tr className="details-row"><td colSpan={7}><RunDetails run={run} /></td></tr>}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
