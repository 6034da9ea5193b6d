import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { WorkflowImportResult, type WorkflowImportBody } from '../../lib/contracts/workflow-file';
import { ApiFailure, errorMessage, request } from './api';
import { detailsToMap, type ErrorMap } from './error-paths';
import { keys } from './queries';
import { navigate } from './router';
import { parseImport } from './workflow-file';

export type ImportChoices = NonNullable<WorkflowImportBody['choices']>;
export interface ImportReviewState { file: unknown; plan: WorkflowImportResult }

/**
 * A workflow file imported in two calls: a dry run says what each id it names is here; with
 * everything matched and nothing to do first, the workflows are made at once; otherwise the admin
 * sees it (ImportReview) and picks a match for each id that has none, before anything is saved.
 */
export function useWorkflowImport() {
  const client = useQueryClient();
  const [errors, setErrors] = useState<ErrorMap>({});
  const [review, setReview] = useState<ImportReviewState>();
  const [done, setDone] = useState<string>();
  const failed = (err: unknown) => setErrors(err instanceof ApiFailure && err.details.length ? detailsToMap(err.details) : { '': errorMessage(err) });
  const send = (file: unknown, choices: ImportChoices, dryRun: boolean) =>
    request(WorkflowImportResult, 'POST', '/workflows/import', { file, choices, dryRun });

  const save = useMutation({
    mutationFn: ({ file, choices }: { file: unknown; choices: ImportChoices }) => send(file, choices, false),
    onMutate: () => setErrors({}),
    onSuccess: (result) => {
      setReview(undefined);
      void client.invalidateQueries({ queryKey: keys.workflows });
      const [only] = result.created;
      if (result.created.length === 1 && only) navigate('workflows', only.id);
      else setDone(`Imported ${result.created.length} workflows as drafts: ${result.created.map((c) => c.name).join(', ')}.`);
    },
    onError: failed,
  });
  const check = useMutation({
    mutationFn: (file: unknown) => send(file, {}, true),
    onSuccess: (plan, file) => {
      const nothingToSay = plan.references.every((r) => r.match) && plan.workflows.every((w) => w.warnings.length === 0);
      if (nothingToSay) save.mutate({ file, choices: {} });
      else setReview({ file, plan });
    },
    onError: failed,
  });

  return {
    errors, review, done,
    busy: check.isPending || save.isPending,
    async pick(file: File) {
      setErrors({});
      setDone(undefined);
      setReview(undefined);
      const read = parseImport(await file.text());
      if (read.ok) check.mutate(read.file);
      else setErrors(read.errors);
    },
    importWith(choices: ImportChoices) {
      if (review) save.mutate({ file: review.file, choices });
    },
    cancel: () => setReview(undefined),
  };
}
export type WorkflowImport = ReturnType<typeof useWorkflowImport>;
