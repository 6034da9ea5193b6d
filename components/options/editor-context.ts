import { createContext, useContext } from 'react';
import type { FormFields } from '../../lib/workflow/list-field-of';
import type { VariableNames } from '../../lib/workflow/variable-labels';

export interface StepTarget { id: string; label: string }

/** What step editors offer: variables for templates, the workflow's steps for jumps and branches. */
export interface EditorContext {
  variables: readonly string[];
  /** What to say beside some of them (a json item: read a path inside it). */
  variableNotes?: Readonly<Record<string, string>>;
  /** What names the variables in the menu (custom fields' and form fields' labels). */
  variableNames?: VariableNames;
  /** Per step index, the `$step.*` names a step that may run before it sets (variables.ts stepVariablesAt). */
  stepVariables: readonly (readonly string[])[];
  steps: readonly StepTarget[];
  /** A shortcut's form fields (none for other triggers): a Branch on a list one offers its options. */
  formFields?: FormFields;
}

export const EditorCtx = createContext<EditorContext>({ variables: [], stepVariables: [], steps: [] });
export const useEditorContext = () => useContext(EditorCtx);
