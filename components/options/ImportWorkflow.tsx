import { useId } from 'react';
import { ErrorSummary } from './ErrorSummary';
import { describeImportPath } from './import-error-paths';
import { ImportReview } from './ImportReview';
import type { WorkflowImport } from './use-workflow-import';

/** The file picker, in the page's head: workflows from a JSON file (use-workflow-import.ts). */
export function ImportWorkflow({ state }: { state: WorkflowImport }) {
  const id = useId();
  return (
    <div className="import">
      <label htmlFor={id} className="button" aria-disabled={state.busy}>Import JSON…</label>
      <input id={id} type="file" accept="application/json,.json" className="sr-only"
        onChange={(e) => { const file = e.target.files?.[0]; if (file) void state.pick(file); e.target.value = ''; }} />
    </div>
  );
}

/** Under the head: why a file cannot be imported, what needs a choice first, or what was imported. */
export function ImportOutcome({ state }: { state: WorkflowImport }) {
  return (
    <>
      <ErrorSummary title="This file cannot be imported:" errors={state.errors} describe={describeImportPath} />
      {state.review && <ImportReview plan={state.review.plan} busy={state.busy} replaceAs={state.review.replaceAs} onReplaceAs={state.replaceAs} onImport={state.importWith} onCancel={state.cancel} />}
      {state.done && <p className="summary" role="status">{state.done}</p>}
    </>
  );
}
