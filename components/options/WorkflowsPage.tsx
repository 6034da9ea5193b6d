import { useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Workflow } from '../../lib/contracts/workflow';
import { WorkflowFile } from '../../lib/contracts/workflow-file';
import { ApiFailure, errorMessage, NoBody, request } from './api';
import { detailsToMap, type ErrorMap } from './error-paths';
import { ErrorSummary } from './ErrorSummary';
import { ExportCredentialsNotice } from './ExportCredentialsNotice';
import { ImportOutcome, ImportWorkflow } from './ImportWorkflow';
import { keys, useUsers } from './queries';
import { isActive } from '../../lib/contracts/users';
import { navigate } from './router';
import type { WorkflowSummary } from './schemas';
import { useWorkflowImport } from './use-workflow-import';
import { allWorkflowsFileName, downloadJson, exportDefinition, fileNameOf } from './workflow-file';
import { useUnpublishChoice } from './UnpublishDialog';
import { WorkflowRow } from './WorkflowRow';
import { WorkflowListFilters } from './WorkflowListFilters';
import { useSavedWorkflowFilters, useWorkflowList, workflowListKey } from './use-workflow-list';
import { LoadMoreButton } from './LoadMoreButton';
import { isFiltered } from './workflow-pages';
import { olderServerMessage } from '../../lib/extension/older-server';

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

/** "Showing 50 of 800 workflows": what is shown of what matches (a server that does not count: what is shown). */
function shownText(shown: number, total: number | null, filtered: boolean) {
  const noun = (n: number) => `${filtered ? 'matching ' : ''}${n === 1 ? 'workflow' : 'workflows'}`;
  return total === null ? `Showing ${shown} ${noun(shown)}` : `Showing ${shown} of ${total} ${noun(total)}`;
}

/**
 * The workflows with their trigger, status, version and last run, searched and filtered by the
 * server and shown a page at a time ("Load more"); create, import and act on each.
 */
export function WorkflowsPage() {
  const [filters, setFilters] = useSavedWorkflowFilters();
  const filtered = isFiltered(filters);
  const list = useWorkflowList(filters);
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
  const pages = list.data?.pages ?? [];
  const workflows = pages.flatMap((p) => p.workflows);
  const total = pages.at(-1)?.total ?? null;
  const olderServer = pages.some((p) => p.olderServer);
  // Until a page of these filters came, the rows shown are the last filters' (kept while typing),
  // and so is the count: a screen reader is told the new count once, not a mix of old and new.
  const settled = list.isSuccess && !list.isPlaceholderData;
  const countText = useRef('');
  if (settled) countText.current = workflows.length === 0 ? 'No workflows match this search and these filters.' : shownText(workflows.length, total, filtered);
  const table = useRef<HTMLTableElement>(null);
  return (
    <section aria-labelledby="workflows-heading">
      <div className="page-head">
        <h2 id="workflows-heading">Workflows</h2>
        <span className="spacer" />
        <button type="button" disabled={exporting.isPending || (!filtered && settled && workflows.length === 0)} onClick={() => exporting.mutate(undefined)}>Export all</button>
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
      {olderServer && (
        <p className="notice warn" data-testid="older-server">
          {olderServerMessage('cannot search or filter workflows, so the whole list was read and is searched here')}
        </p>
      )}
      {(filtered || workflows.length > 0) && <WorkflowListFilters filters={filters} onChange={setFilters} />}
      {list.isPending && <p role="status">Loading…</p>}
      {list.isError && <p className="error" role="alert">{errorMessage(list.error)}</p>}
      {/* Always there once loaded, so a screen reader hears the count change with the search. */}
      {list.isSuccess && (filtered || workflows.length > 0) && (
        <p className="list-count" aria-live="polite" aria-atomic="true" data-testid="workflow-count">
          {countText.current}
        </p>
      )}
      {settled && !filtered && workflows.length === 0 && <p className="empty">No workflows yet. Create one, or import a JSON file.</p>}
      {workflows.length > 0 && (
        // A narrow screen scrolls the table in its box, not the page (WCAG 1.4.10).
        <div className="table-wrap">
        <table ref={table} className="table" aria-label="Workflows" aria-busy={list.isFetching && !list.isFetchingNextPage}>
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
        </div>
      )}
      <LoadMoreButton list={list} queryKey={workflowListKey(filters)} keys={workflows.map((w) => w.id)} label="Load more workflows"
        focusRow={(at) => table.current?.querySelectorAll<HTMLAnchorElement>('tbody tr > td:first-child > a')[at]?.focus()} />
    </section>
  );
}
