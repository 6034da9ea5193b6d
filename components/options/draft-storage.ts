import type { Workflow } from '../../lib/contracts/workflow';
import type { WorkflowDraft } from './draft-types';

// Unsaved edits live in sessionStorage too, so a reload (or a failed save) loses nothing typed.
// They are not parsed back with the contract on purpose: a draft may be invalid.

const key = (id: string | undefined) => `ic-options-draft:${id ?? 'new'}`;

export function loadDraft(id: string | undefined): WorkflowDraft | undefined {
  try {
    const text = sessionStorage.getItem(key(id));
    if (!text) return undefined;
    const value: unknown = JSON.parse(text);
    return isDraftLike(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function saveDraft(id: string | undefined, draft: WorkflowDraft) {
  try {
    sessionStorage.setItem(key(id), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the draft still lives in memory.
  }
}

export const clearDraft = (id: string | undefined) => sessionStorage.removeItem(key(id));

function isDraftLike(value: unknown): value is WorkflowDraft {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && !!v.trigger && typeof v.trigger === 'object' && Array.isArray(v.steps);
}

export const draftOf = (w: Workflow): WorkflowDraft => ({ name: w.name, trigger: w.trigger, oncePerContact: w.oncePerContact, steps: w.steps });

export const emptyDraft = (): WorkflowDraft => ({
  name: '',
  trigger: { type: 'shortcut', icon: '⚡', name: '', description: '', form: { fields: [] } },
  oncePerContact: false,
  steps: [],
});
