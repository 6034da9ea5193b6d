import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Workflow } from '../../lib/contracts/workflow';
import { ApiFailure, errorMessage, NoBody, request } from './api';
import { detailsToMap, type ErrorMap } from './error-paths';
import { ErrorSummary } from './ErrorSummary';
import { ImportWorkflow } from './ImportWorkflow';
import { keys, useWorkflows } from './queries';
import { navigate } from './router';
import type { WorkflowSummary } from './schemas';
import { downloadJson, exportDefinition, fileNameOf } from './workflow-file';
import { WorkflowRow } from './WorkflowRow';

type Action = { kind: 'publish' | 'unpublish' | 'delete' | 'duplicate'; workflow: WorkflowSummary };

/** Every workflow with its trigger, status, version and last run; create, import and act on each. */
export function WorkflowsPage() {
  const list = useWorkflows();
  const client = useQueryClient();
  const [problem, setProblem] = useState<{ name: string; id: string; message: string; details: ErrorMap }>();
  const act = useMutation({
    mutationFn: async ({ kind, workflow: w }: Action) => {
      const at = `/workflows/${encodeURIComponent(w.id)}`;
      if (kind === 'delete') return request(NoBody, 'DELETE', at);
      if (kind === 'duplicate') {
        const copy = { ...exportDefinition(w), name: `Copy of ${w.name}`.slice(0, 100), status: 'draft' };
        return request(Workflow, 'POST', '/workflows', copy);
      }
      return request(Workflow, 'POST', `${at}/${kind}`);
    },
    onMutate: () => setProblem(undefined),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.workflows }),
    onError: (err, { workflow: w }) =>
      setProblem({ name: w.name, id: w.id, message: errorMessage(err), details: err instanceof ApiFailure ? detailsToMap(err.details) : {} }),
  });
  const workflows = list.data?.workflows ?? [];
  return (
    <section aria-labelledby="workflows-heading">
      <div className="page-head">
        <h2 id="workflows-heading">Workflows</h2>
        <span className="spacer" />
        <ImportWorkflow />
        <button type="button" className="primary" onClick={() => navigate('workflows', 'new')}>New workflow</button>
      </div>
      {problem && (
        <div className="summary error" role="alert">
          <strong>{problem.name}: {problem.message}</strong> <a href={`#/workflows/${encodeURIComponent(problem.id)}`}>Open the editor</a>
          <ErrorSummary title="" errors={problem.details} />
        </div>
      )}
      {list.isPending && <p role="status">Loading…</p>}
      {list.isError && <p className="error" role="alert">{errorMessage(list.error)}</p>}
      {list.isSuccess && workflows.length === 0 && <p className="empty">No workflows yet. Create one, or import a JSON file.</p>}
      {workflows.length > 0 && (
        <table className="table" aria-label="Workflows">
          <thead><tr><th>Name</th><th>Trigger</th><th>Status</th><th>Version</th><th>Last run</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {workflows.map((w) => (
              <WorkflowRow key={w.id} workflow={w} busy={act.isPending}
                onToggle={() => act.mutate({ kind: w.status === 'published' ? 'unpublish' : 'publish', workflow: w })}
                onDuplicate={() => act.mutate({ kind: 'duplicate', workflow: w })}
                onExport={() => downloadJson(fileNameOf(w.name), exportDefinition(w))}
                onDelete={() => { if (confirm(`Delete “${w.name}”? Its run history goes too.`)) act.mutate({ kind: 'delete', workflow: w }); }} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
