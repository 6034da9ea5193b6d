import type { Run } from '../../lib/contracts/runs';
import { StatusBadge } from './StatusBadge';

/** One run's variables and each step's outcome, error and notes. */
export function RunDetails({ run }: { run: Run }) {
  return (
    <div className="run-details">
      <h4>Variables</h4>
      {Object.keys(run.variables).length === 0 ? <p className="hint">None</p> : (
        <dl className="variables">
          {Object.entries(run.variables).map(([k, v]) => (
            <div key={k}><dt className="mono">{k}</dt><dd className="mono">{JSON.stringify(v)}</dd></div>
          ))}
        </dl>
      )}
      <h4>Steps</h4>
      {run.stepLog.length === 0 ? <p className="hint">No step has run yet.</p> : (
        <ol className="step-log">
          {run.stepLog.map((entry, i) => (
            <li key={`${entry.stepId}-${i}`}>
              <StatusBadge status={entry.status} /> <code>{entry.stepId}</code> <span className="muted">{entry.type}</span>
              {entry.error && <p className="error">{entry.error}</p>}
              {entry.notes?.map((n) => <p key={n} className="hint">{n}</p>)}
              {entry.output !== undefined && <pre className="mono output">{JSON.stringify(entry.output, null, 2)}</pre>}
            </li>
          ))}
        </ol>
      )}
      {run.error && <p className="error">Run error: {run.error}</p>}
      {run.wakeAt && <p className="hint">Waiting until {new Date(run.wakeAt).toLocaleString()}</p>}
    </div>
  );
}
