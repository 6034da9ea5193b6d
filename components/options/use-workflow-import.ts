import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { WorkflowImportResult, type WorkflowImportBody } from '../../lib/contracts/workflow-file';
import { ApiFailure, errorMessage, request } from './api';
import { detailsToMap, type ErrorMap } from './error-paths';
import { keys } from './queries';
import { navigate } from './router';
import { parseImport } from './workflow-file';

export type ImportChoices = NonNullable<WorkflowImportBody['choices']>;
/** Place of a workflow in the file → the workflow here it replaces (ImportReview's "Replace …"). */
export type ImportReplace = NonNullable<WorkflowImportBody['replace']>;
type ReplaceAs = WorkflowImportBody['replaceAs'];
export interface ImportReviewState { file: unknown; plan: WorkflowImportResult; replaceAs: ReplaceAs }

/** What an import made, said once it is done: new drafts, and workflows the file's version replaced (live, or a draft). */
export function importedText(result: WorkflowImportResult): string {
  const { created, replaced = [] } = result;
  const said: string[] = [];
  if (created.length) said.push(`Imported ${created.length} ${created.length === 1 ? 'workflow as a draft' : 'workflows as drafts'}: ${created.map((c) => c.name).join(', ')}.`);
  for (const r of replaced) {
    said.push(r.unpublished
      ? `“${r.name}” now holds the file's version as a draft and is no longer published: nothing starts it until you publish it again (same webhook URL).`
      : r.status === 'published'
        ? `“${r.name}” now runs the file's version: it stays published, with the same webhook URL (runs already started finish on the version they began with).`
        : `“${r.name}” now holds the file's version as its draft.`);
  }
  return said.join(' ');
}

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
  const send = (file: unknown, choices: ImportChoices, dryRun: boolean, replace: ImportReplace = {}, replaceAs: ReplaceAs = 'same-status') =>
    request(WorkflowImportResult, 'POST', '/workflows/import', {
      file, choices, ...(Object.keys(replace).length ? { replace } : {}), ...(replaceAs === 'draft' ? { replaceAs } : {}), dryRun,
    });

  const save = useMutation({
    mutationFn: ({ file, choices, replace, replaceAs }: { file: unknown; choices: ImportChoices; replace?: ImportReplace; replaceAs?: ReplaceAs }) =>
      send(file, choices, false, replace, replace && Object.keys(replace).length ? replaceAs : undefined),
    onMutate: () => setErrors({}),
    onSuccess: (result) => {
      setReview(undefined);
      void client.invalidateQueries({ queryKey: keys.workflows });
      const made = [...result.created, ...result.replaced ?? []];
      const [only] = made;
      // One workflow opens in the editor, unless a replace left it live or unpublished it: that is said here.
      if (made.length === 1 && only && !result.replaced?.some((r) => r.unpublished || r.status === 'published')) navigate('workflows', only.id);
      else setDone(importedText(result));
    },
    onError: failed,
  });
  const check = useMutation({
    mutationFn: (file: unknown) => send(file, {}, true),
    onSuccess: (plan, file) => {
      // A workflow already here (same id, or name) is never replaced unasked: the review offers it.
      const nothingToSay = plan.references.every((r) => r.match) && plan.workflows.every((w) => w.warnings.length === 0 && !w.replaceable?.length);
      if (nothingToSay) save.mutate({ file, choices: {} });
      else setReview({ file, plan, replaceAs: 'same-status' });
    },
    onError: failed,
  });
  // The review's warnings say what the replace does: asked again when the admin switches to drafts or back.
  const recheck = useMutation({
    mutationFn: ({ file, replaceAs }: { file: unknown; replaceAs: ReplaceAs }) => send(file, {}, true, {}, replaceAs),
    onMutate: () => setErrors({}),
    onSuccess: (plan, { file, replaceAs }) => setReview({ file, plan, replaceAs }),
    onError: failed,
  });

  return {
    errors, review, done,
    busy: check.isPending || save.isPending || recheck.isPending,
    async pick(file: File) {
      setErrors({});
      setDone(undefined);
      setReview(undefined);
      const read = parseImport(await file.text());
      if (read.ok) check.mutate(read.file);
      else setErrors(read.errors);
    },
    importWith(choices: ImportChoices, replace: ImportReplace = {}) {
      if (review) save.mutate({ file: review.file, choices, replace, replaceAs: review.replaceAs });
    },
    replaceAs(replaceAs: ReplaceAs) {
      if (review && review.replaceAs !== replaceAs) recheck.mutate({ file: review.file, replaceAs });
    },
    cancel: () => setReview(undefined),
  };
}
export type WorkflowImport = ReturnType<typeof useWorkflowImport>;
