import { useQuery } from '@tanstack/react-query';
import { Run } from '../../lib/contracts/runs';
import { errorMessage, request } from './api';
import { RunDetails } from './RunDetails';
import { StatusBadge } from './StatusBadge';
import { RUNS_KEY } from './use-run-history';

interface Props {
  id: string;
  onShow(id: string): void;
  onClose(): void;
}

/**
 * A run opened from a link (a rerun's failed run, a failed run's rerun) that the loaded pages do not
 * hold: a failed run weeks older than the first page of history. Read on its own (GET /runs/:id) and
 * shown above the table, as n8n opens the execution a "Retry of #N" names wherever it is.
 */
export function ShownRun({ id, onShow, onClose }: Props) {
  const one = useQuery({ queryKey: [RUNS_KEY, 'shown', id], queryFn: () => request(Run, 'GET', `/runs/${encodeURIComponent(id)}`) });
  return (
    <div className="card shown-run">
      <p>
        <strong>Run <span className="mono">{id}</span></strong>{' '}
        {one.data && <><StatusBadge status={one.data.status} /> <span className="muted">v{one.data.workflowVersion}, started {new Date(one.data.createdAt).toLocaleString()}</span></>}
        {' '}<button type="button" className="small" onClick={onClose}>Close</button>
      </p>
      {one.isError && <p className="error" role="alert">{errorMessage(one.error)}</p>}
      {one.data && <RunDetails run={one.data} onShow={onShow} focus />}
    </div>
  );
}
