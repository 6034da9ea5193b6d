import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Workflow } from '../../lib/contracts/workflow';
import { WorkflowFile } from '../../lib/contracts/workflow-file';
import { ApiFailure, errorMessage, NoBody, request } from './api';
import { detailsToMap, type ErrorMap } from './error-paths';
import { ErrorSummary } from './ErrorSummary';
import { ExportCredentialsNotice } from './ExportCredentialsNotice';
import { ImportOutcome, ImportWorkflow } from './ImportWorkflow';
import { keys, useUsers, useWorkflows } from './queries';
import { isActive } from '../../lib/contracts/users';
import { navigate } from './router';
import type { WorkflowSummary } from './schemas';
import { useWorkflowImport } from './use-workflow-import';
import { allWorkflowsFileName, downloadJson, exportDefinition, fileNameOf } from './workflow-file';
import { useUnpublishChoice } from './UnpublishDialog';
import { WorkflowRow } from './WorkflowRow';

const problemOf = (w: { id: string; name: string }, err: unknown) =>
  ({ name: w.name, id: w.id, message: errorMessage(err), details: err instanceof ApiFailure ? detailsToMap(err.details) : {} });

type Action = { kind: 'publish' | 'unpublish' | 'delete' | 'duplicate'; workflow: WorkflowSummary; cancelRuns?: boolean };

/**
 * A file for another server (the server adds what each user, app and workflow named is): one
 * workflow, or all. Resolves to the file, for what it left out (ExportCredentialsNotice).
 */
async function downloadExport(workflow?: WorkflowSummary) {
  const file = await request(WorkflowFile, 'GET', workflow ? `/workflows/export?ids=${encodeURIComponent(workflow.id)}` : '/workflows/export');
  downloadJson(workflow ? fileNameOf(workflow.name) : allWorkflowsFileName(), file);
  return file;
}

// Runs stay in the run history (as the messages they sent stay in conversations); n8n deletes a
// workflow's executions with it, but what a workflow did to contacts is kept here to be looked up.
const deleteQuestion = (name: string) =>
  `Delete “${name}”? Its queued and waiting runs are cancelled; its run history stays (filter the run history by “${name} (deleted)”).`;

/** Every workflow with its trigger, status, version and last run; create, import and act on each. */
export function WorkflowsPage() {
  const list = useWorkflows();
  // Who is deactivated: a workflow assigning to one of them is flagged on its row (WorkflowRow).
  const users = useUsers();
  const deactivated = new Map((users.data?.users ?? []).filter((u) => !isActive(u)).map((u) => [u.id, u.name]));
  const client = useQueryClient();
  const [problem, setProblem] = useState<{ name: string; id: string; message: string; details: ErrorMap }>();
  const importing = useWorkflowImport();
  const exporting = useMutation({ mutationFn: (w?: WorkflowSummary) => downloadExport(w) });
  const act = useMutation({
    mutationFn: async ({ kind, workflow: w, cancelRuns }: Action) => {
      const at = `/workflows/${encodeURIComponent(w.id)}`;
      if (kind === 'delete') return request(NoBody, 'DELETE', at);
      if (kind === 'duplicate') {
        const copy = { ...exportDefinition(w), name: `Copy of ${w.name}`.slice(0, 100), status: 'draft' };
        return request(Workflow, 'POST', '/workflows', copy);
      }
      return request(Workflow, 'POST', `${at}/${kind}`, cancelRuns ? { cancelRuns } : undefined);
    },
    onMutate: () => setProblem(undefined),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.workflows }),
    onError: (err, { workflow: w }) => setProblem(problemOf(w, err)),
  });
  // Unpublishing asks first when runs are still going (UnpublishDialog.tsx).
  const unpublish = useUnpublishChoice<WorkflowSummary>(
    (workflow, cancelRuns) => act.mutateAsync({ kind: 'unpublish', workflow, cancelRuns }),
    (err, w) => setProblem(problemOf(w, err)),
  );
  const workflows = list.data?.workflows ?? [];
  return (
    <section aria-labelledby="workflows-heading">
      <div className="page-head">
        <h2 id="workflows-heading">Workflows</h2>
        <span className="spacer" />
        <button type="button" disabled={exporting.isPending || (list.data?.workflows.length ?? 0) === 0} onClick={() => exporting.mutate(undefined)}>Export all</button>
        <ImportWorkflow state={importing} />
        <button type="button" className="primary" onClick={() => navigate('workflows', 'new')}>New workflow</button>
      </div>
      <ImportOutcome state={importing} />
      {exporting.isError && <p className="error" role="alert">Export failed: {errorMessage(exporting.error)}</p>}
      {exporting.data && <ExportCredentialsNotice file={exporting.data} onDismiss={() => exporting.reset()} />}
      {problem && (
        <div className="summary error" role="alert">
          <strong>{problem.name}: {problem.message}</strong> <a href={`#/workflows/${encodeURIComponent(problem.id)}`}>Open the editor</a>
          <ErrorSummary title="" errors={problem.details} />
        </div>
      )}
      {unpublish.dialog}
      {list.isPending && <p role="status">Loading…</p>}
      {list.isError && <p className="error" role="alert">{errorMessage(list.error)}</p>}
      {list.isSuccess && workflows.length === 0 && <p className="empty">No workflows yet. Create one, or import a JSON file.</p>}
      {workflows.length > 0 && (
        <table className="table" aria-label="Workflows">
          <thead><tr><th>Name</th><th>Trigger</th><th>Status</th><th>Version</th><th>Last run</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {workflows.map((w) => (
              <WorkflowRow key={w.id} workflow={w} busy={act.isPending || unpublish.counting} deactivated={deactivated}
                onToggle={() => (w.status === 'published' ? void unpublish.ask(w) : act.mutate({ kind: 'publish', workflow: w }))}
                onDuplicate={() => act.mutate({ kind: 'duplicate', workflow: w })}
                onExport={() => exporting.mutate(w)}
                onDelete={() => { if (confirm(deleteQuestion(w.name))) act.mutate({ kind: 'delete', workflow: w }); }} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
