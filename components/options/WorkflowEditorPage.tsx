import { useState } from 'react';
import { errorMessage } from './api';
import { clearDraft, draftOf, emptyDraft, loadDraft } from './draft-storage';
import { useWorkflow } from './queries';
import { WorkflowEditor } from './WorkflowEditor';

/** Loads the workflow (or a new one), preferring unsaved edits kept in this tab. */
export function WorkflowEditorPage({ id }: { id: string | undefined }) {
  const query = useWorkflow(id);
  const [generation, setGeneration] = useState(0);
  if (id && query.isPending) return <p role="status">Loading the workflow…</p>;
  if (id && query.isError) return <p className="error" role="alert">Could not load the workflow: {errorMessage(query.error)}</p>;
  const stored = loadDraft(id);
  const fromServer = query.data ? draftOf(query.data) : emptyDraft();
  const discard = () => {
    clearDraft(id);
    setGeneration((g) => g + 1);
  };
  return (
    <WorkflowEditor key={`${id ?? 'new'}-${generation}`} id={id}
      initial={stored ?? fromServer} restored={!!stored && id !== undefined} onDiscard={discard} />
  );
}
