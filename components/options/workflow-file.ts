import { WorkflowDefinition } from '../../lib/contracts/workflow';
import type { Workflow } from '../../lib/contracts/workflow';
import { WorkflowFile } from '../../lib/contracts/workflow-file';
import { downloadFile } from './download';
import { issuesToMap, type ErrorMap } from './error-paths';

/**
 * The portable part of a workflow: no id, status, version, webhook URL or signing secret (a
 * duplicate gets its own URL). Files for another server come from the server (GET
 * /workflows/export), which adds what each id the workflow names is there.
 */
export function exportDefinition(w: Workflow): WorkflowDefinition {
  const trigger = w.trigger.type === 'incoming_webhook' ? { ...w.trigger, url: undefined, signingSecret: undefined } : w.trigger;
  return { name: w.name, trigger, oncePerContact: w.oncePerContact, steps: w.steps };
}

export function downloadJson(filename: string, value: unknown) {
  downloadFile(filename, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}

export const fileNameOf = (name: string) => `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workflow'}.workflow.json`;
/** Every workflow in one file: named by the day. */
export const allWorkflowsFileName = (now = new Date()) => `workflows-${now.toISOString().slice(0, 10)}.workflow.json`;

/**
 * A file's text read as workflows: a file exported by a server (several workflows and what their
 * ids are), or a single definition (as the page exported them before), sent to the server as
 * read; else every reason it is neither.
 */
export function parseImport(text: string): { ok: true; file: unknown; names: string[] } | { ok: false; errors: ErrorMap } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: { '': `Not JSON: ${err instanceof Error ? err.message : String(err)}` } };
  }
  if (json && typeof json === 'object' && 'format' in json) {
    const file = WorkflowFile.safeParse(json);
    return file.success ? { ok: true, file: json, names: file.data.workflows.map((w) => w.definition.name) } : { ok: false, errors: issuesToMap(file.error.issues) };
  }
  const parsed = WorkflowDefinition.safeParse(json);
  return parsed.success ? { ok: true, file: json, names: [parsed.data.name] } : { ok: false, errors: issuesToMap(parsed.error.issues) };
}
