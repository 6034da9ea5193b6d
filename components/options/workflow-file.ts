import { WorkflowDefinition } from '../../lib/contracts/workflow';
import type { Workflow } from '../../lib/contracts/workflow';
import { issuesToMap, type ErrorMap } from './error-paths';

/**
 * The portable part of a workflow: no id, status, version, webhook URL or signing secret. A file
 * is shared and kept where secrets should not be (as n8n keeps credentials out of its exports);
 * the imported workflow gets its own URL, and its own secret when the admin asks for signing.
 */
export function exportDefinition(w: Workflow): WorkflowDefinition {
  const trigger = w.trigger.type === 'incoming_webhook' ? { ...w.trigger, url: undefined, signingSecret: undefined } : w.trigger;
  return { name: w.name, trigger, oncePerContact: w.oncePerContact, steps: w.steps };
}

export function downloadJson(filename: string, value: unknown) {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const fileNameOf = (name: string) => `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workflow'}.workflow.json`;

/** A file's text read as a workflow definition, or every reason it is not one. */
export function parseImport(text: string): { ok: true; definition: WorkflowDefinition } | { ok: false; errors: ErrorMap } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: { '': `Not JSON: ${err instanceof Error ? err.message : String(err)}` } };
  }
  const parsed = WorkflowDefinition.safeParse(json);
  return parsed.success ? { ok: true, definition: parsed.data } : { ok: false, errors: issuesToMap(parsed.error.issues) };
}
