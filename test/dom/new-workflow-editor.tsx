import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { savedAsDraft, emptyEditorApi, renderWithProviders, serveApi, type ApiCall, type Routes } from './options-harness';

// The options page's editor on a new workflow, for the component tests that check what it offers
// and what it saves: an account with no fields, apps, users, other workflows or closing categories.

/** When the stand-in API says a workflow was created, updated or published. */
export const at = '2025-01-01T00:00:00.000Z';

/**
 * Renders the editor on `initial` (not saved yet), its API answered as above; Save creates
 * `wf_1` as a draft. `more` adds routes (or answers one otherwise). Returns the calls made.
 */
export function renderNewWorkflowEditor(initial: WorkflowDraft, more: Routes = {}): ApiCall[] {
  const calls = serveApi({
    ...emptyEditorApi,
    'POST /workflows': savedAsDraft(at),
    ...more,
  });
  renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
  return calls;
}
