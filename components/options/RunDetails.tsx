import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Run } from '../../lib/contracts/runs';
import { waitingBehindText } from '../../lib/workflow/waiting-behind';
import { request } from './api';
import { BranchExplained } from './BranchExplained';
import { LongText } from './LongText';
import { RefusedLater } from './RefusedLater';
import { RunLink } from './RunLink';
import { StatusBadge } from './StatusBadge';
import { RUNS_KEY } from './use-run-history';

/**
 * A queued run held by an earlier run of its workflow and contact: which, and until when. The
 * list leaves it out (GET /runs/:id reads it, for one run): asked for only when opened.
 */
function WaitingBehindNote({ run }: { run: Run }) {
  const queued = run.status === 'queued';
  const one = useQuery({
    queryKey: [RUNS_KEY, 'behind', run.id], enabled: queued,
    queryFn: () => request(Run, 'GET', `/runs/${encodeURIComponent(run.id)}`),
  });
  const text = queued && one.data ? waitingBehindText(one.data) : null;
  if (!text) return null;
  return (
    <p className="hint waiting-behind" role="status">
      {text.charAt(0).toUpperCase()}{text.slice(1)}. A contact's runs of one workflow go one at a time, in order: this one
      starts when that one ends, and cancelling that one lets it start now.
    </p>
  );
}

/**
 * What a rerun was run with, as n8n's "Retry with original workflow" / "… currently saved
 * workflow": the version the failed run ran, or a later one (`rerunOfVersion` from the server;
 * nothing from a server without it).
 */
function ranWith(run: Run): string {
  if (run.rerunOfVersion === undefined) return '';
  return run.rerunOfVersion === run.workflowVersion
    ? ` It ran the original workflow: version ${run.workflowVersion}, the one that run ran.`
    : ` It ran the workflow as saved since: version ${run.workflowVersion} (that run ran version ${run.rerunOfVersion}).`;
}

interface Props {
  run: Run;
  /** Shows another run (a rerun's failed run, a failed run's rerun) with its details open. */
  onShow?(id: string): void;
  /** Takes the keyboard's focus when shown (opened from a link: the link's row may be gone). */
  focus?: boolean;
}

/**
 * One run's variables and each step's outcome, error and notes. Any of them may be long (a
 * webhook's 900 KB body): each wraps and shows its start (LongText), so the row stays as wide as
 * the table. A rerun links the run it retries and says what it ran with; a failed run run again
 * links its rerun (n8n's "Retry of #N" / "Retried in #M").
 */
export function RunDetails({ run, onShow, focus = false }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => { if (focus) box.current?.focus(); }, [focus]);
  const link = (id: string) => (onShow ? <RunLink id={id} onShow={onShow} /> : <code>{id}</code>);
  return (
    <div className="run-details" ref={box} tabIndex={-1} aria-label={`Run ${run.id}`} role="region">
      <WaitingBehindNote run={run} />
      {run.launchedBy && <p className="launched-by">Launched by <strong>{run.launchedBy.name}</strong> from the shortcut.</p>}
      {run.rerunOf && (
        <p className="rerun-of">
          Run again from failed run {link(run.rerunOf)}{run.rerunBy ? <> by <strong>{run.rerunBy.name}</strong></> : null}
          {run.rerunFromStep ? `, from step ${run.rerunFromStep}, where that run failed: the steps before it ran in that run, not again.` : ', from the first step.'}
          {ranWith(run)}
        </p>
      )}
      {run.rerunAs && <p className="rerun-as-details">Run again as {link(run.rerunAs)}: open it to see how that went.</p>}
      <h4>Variables</h4>
      {Object.keys(run.variables).length === 0 ? <p className="hint">None</p> : (
        <dl className="variables">
          {Object.entries(run.variables).map(([k, v]) => (
            <div key={k}><dt className="mono">{k}</dt><dd><LongText text={JSON.stringify(v) ?? 'undefined'} className="mono value" filename={`${run.id}-${k}.json`} /></dd></div>
          ))}
        </dl>
      )}
      <h4>Steps</h4>
      {run.stepLog.length === 0 ? <p className="hint">No step has run yet.</p> : (
        <ol className="step-log">
          {run.stepLog.map((entry, i) => (
            <li key={`${entry.stepId}-${i}`}>
              <StatusBadge status={entry.status} /> <code>{entry.stepId}</code> <span className="muted">{entry.type}</span>
              <RefusedLater output={entry.output} />
              {entry.error && <LongText as="p" className="error" text={entry.error} filename={`${run.id}-${entry.stepId}-error.txt`} />}
              {entry.notes?.map((n, j) => <LongText key={`${j}-${n.slice(0, 50)}`} as="p" className="hint" text={n} filename={`${run.id}-${entry.stepId}-note-${j + 1}.txt`} />)}
              {entry.output !== undefined && (
                <BranchExplained type={entry.type} output={entry.output} workflowId={run.workflowId}>
                  <LongText className="mono output" text={JSON.stringify(entry.output, null, 2)} filename={`${run.id}-${entry.stepId}-output.json`} />
                </BranchExplained>
              )}
            </li>
          ))}
        </ol>
      )}
      {run.error && <LongText as="p" className="error" text={`Run error: ${run.error}`} filename={`${run.id}-error.txt`} />}
      {run.wakeAt && <p className="hint">Waiting until {new Date(run.wakeAt).toLocaleString()}</p>}
    </div>
  );
}
