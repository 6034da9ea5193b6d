import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Workflow } from '../../lib/contracts/workflow';
import { request } from './api';
import type { WorkflowDraft } from './draft-types';
import { keys } from './queries';
import { cleanDraft } from './validate-draft';

/** Save (create or update) and publish/unpublish, keeping the list and the workflow's cache fresh. */
export function useWorkflowSave(id: string | undefined) {
  // `id` is read when a save runs: undefined creates, an id updates.
  const client = useQueryClient();
  const settle = (w: Workflow) => {
    client.setQueryData(keys.workflow(w.id), w);
    void client.invalidateQueries({ queryKey: keys.workflows, exact: true });
  };
  const save = useMutation({
    mutationFn: (draft: WorkflowDraft) =>
      id
        ? request(Workflow, 'PUT', `/workflows/${encodeURIComponent(id)}`, cleanDraft(draft))
        : request(Workflow, 'POST', '/workflows', cleanDraft(draft)),
    onSuccess: settle,
  });
  const setStatus = useMutation({
    // `cancelRuns`: the unpublish cancels the workflow's unfinished runs too (UnpublishDialog.tsx).
    mutationFn: ({ workflowId, publish, cancelRuns = false }: { workflowId: string; publish: boolean; cancelRuns?: boolean }) =>
      request(Workflow, 'POST', `/workflows/${encodeURIComponent(workflowId)}/${publish ? 'publish' : 'unpublish'}`, cancelRuns ? { cancelRuns } : undefined),
    onSuccess: settle,
  });
  return { save, setStatus };
}
