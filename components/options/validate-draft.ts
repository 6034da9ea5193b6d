import { StepConfigSchemas } from '../../lib/contracts/steps';
import { WorkflowDefinition } from '../../lib/contracts/workflow';
import { structuralProblems, type WorkspaceFacts } from '../../lib/workflow/validate-workflow';
import { issuesToMap, normalizePath, type ErrorMap } from './error-paths';
import type { WorkflowDraft } from './draft-types';

/** What is sent: the draft with blank list options (a trailing newline) left out. */
export function cleanDraft(draft: WorkflowDraft): WorkflowDraft {
  if (draft.trigger.type !== 'shortcut' || !draft.trigger.form) return draft;
  const fields = draft.trigger.form.fields.map((f) => (f.options ? { ...f, options: f.options.filter((o) => o.trim()) } : f));
  return { ...draft, trigger: { ...draft.trigger, form: { fields } } };
}

export interface DraftCheck {
  /** Contract errors: the server would refuse to save. */
  errors: ErrorMap;
  /** References (jump targets, variables): saving is fine, publishing is not. */
  warnings: ErrorMap;
  definition?: WorkflowDefinition;
}

/**
 * The contract's verdict per field: each step with its own config schema, then the whole definition;
 * `workspace` (custom fields, installed apps' actions, once loaded) for the publish checks that need it.
 */
export function checkDraft(draft: WorkflowDraft, workspace: WorkspaceFacts = {}): DraftCheck {
  const clean = cleanDraft(draft);
  const errors: ErrorMap = {};
  clean.steps.forEach((step, i) => {
    const result = StepConfigSchemas[step.type].safeParse(step.config);
    if (!result.success) Object.assign(errors, issuesToMap(result.error.issues, ['steps', i, 'config']));
  });
  const parsed = WorkflowDefinition.safeParse(clean);
  if (!parsed.success) {
    for (const [path, message] of Object.entries(issuesToMap(parsed.error.issues))) errors[path] ??= message;
    return { errors, warnings: {} };
  }
  const warnings: ErrorMap = {};
  for (const p of structuralProblems(parsed.data, workspace)) warnings[normalizePath(p.path)] ??= p.message;
  return { errors, warnings, definition: parsed.data };
}
