import { useQuery } from '@tanstack/react-query';
import { Run } from '../../lib/contracts/runs';
import { waitingBehindText } from '../../lib/workflow/waiting-behind';
import { request } from './api';
import { LongText } from './LongText';
import { RefusedLater } from './RefusedLater';
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
 * One run's variables and each step's outcome, error and notes. Any of them may be long (a
 * webhook's 900 KB body): each wraps and shows its start (LongText), so the row stays as wide as
 * the table.
 */
export function RunDetails({ run }: { run: Run }) {
  return (
    <div className="run-details">
      <WaitingBehindNote run={run} />
      {run.launchedBy && <p className="launched-by">Launched by <strong>{run.launchedBy.name}</strong> from the shortcut.</p>}
      {run.rerunOf && (
        <p className="rerun-of">
          Run again from failed run <code>{run.rerunOf}</code>{run.rerunBy ? <> by <strong>{run.rerunBy.name}</strong></> : null}
          {run.rerunFromStep ? `, from step ${run.rerunFromStep}, where that run failed: the steps before it ran in that run, not again.` : ', from the first step.'}
        </p>
      )}
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
                <LongText className="mono output" text={JSON.stringify(entry.output, null, 2)} filename={`${run.id}-${entry.stepId}-output.json`} />
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
