import { Run } from '../../../lib/contracts/runs';
import type { Trigger } from '../../../lib/contracts/triggers';
import { Workflow, WorkflowDefinition, type WorkflowStatus } from '../../../lib/contracts/workflow';
import type { RunsTable, WorkflowsTable } from '../../store/schema';

/** A stored definition (validated when it was saved), parsed into its contract. */
export function parseDefinition(json: string): WorkflowDefinition {
  return WorkflowDefinition.parse(JSON.parse(json));
}

/** What is stored: the server-set `url` of a webhook trigger is derived, never kept. */
export function storableDefinition(def: WorkflowDefinition): WorkflowDefinition {
  if (def.trigger.type !== 'incoming_webhook') return def;
  const { url: _url, ...trigger } = def.trigger;
  return { ...def, trigger };
}

/**
 * The definition without its webhook signing secret (kept sealed in its own column), and what the
 * input said of that secret: a new value, `null` (remove it) or `undefined` (not sent: an edit
 * keeps the stored one, as it keeps the URL token). Not a webhook trigger: `null`.
 */
export function splitSigningSecret(def: WorkflowDefinition): { def: WorkflowDefinition; secret: string | null | undefined } {
  if (def.trigger.type !== 'incoming_webhook') return { def, secret: null };
  if (!('signingSecret' in def.trigger)) return { def, secret: undefined };
  const { signingSecret, ...trigger } = def.trigger;
  return { def: { ...def, trigger }, secret: signingSecret === undefined ? undefined : signingSecret || null };
}

export const webhookUrl = (publicUrl: string, token: string) => `${publicUrl}/hooks/${token}`;

function withSecret(trigger: Trigger, secret: string | undefined): Trigger {
  return trigger.type === 'incoming_webhook' && secret ? { ...trigger, signingSecret: secret } : trigger;
}

function withUrl(trigger: Trigger, publicUrl: string, token: string | null): Trigger {
  if (trigger.type !== 'incoming_webhook' || !token) return trigger;
  return { ...trigger, url: webhookUrl(publicUrl, token) };
}

/**
 * `open` turns the stored (sealed) URL token and signing secret back into what the admin sees.
 * One that cannot be opened (sealed under another key) is left out and named in
 * `unreadableSecrets`: a list with such a row still answers, as does the workflow itself.
 */
export function toWorkflow(row: WorkflowsTable, publicUrl: string, open: (stored: string) => string): Workflow {
  const def = parseDefinition(row.definition);
  const unreadable: ('url' | 'signingSecret')[] = [];
  const opened = (stored: string | null, what: 'url' | 'signingSecret') => {
    if (!stored) return undefined;
    try {
      return open(stored);
    } catch {
      unreadable.push(what);
      return undefined;
    }
  };
  const token = opened(row.webhook_token, 'url');
  const secret = opened(row.webhook_signing_secret ?? null, 'signingSecret');
  return Workflow.parse({
    id: row.id,
    ...def,
    trigger: withUrl(withSecret(def.trigger, secret), publicUrl, token ?? null),
    status: row.status as WorkflowStatus,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    ...(unreadable.length > 0 ? { unreadableSecrets: unreadable } : {}),
  });
}

export function toRun(row: RunsTable): Run {
  return Run.parse({
    id: row.id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    contactId: row.contact_id,
    conversationId: row.conversation_id,
    triggerEvent: { id: row.event_id, type: row.event_type },
    variables: JSON.parse(row.variables),
    status: row.status,
    cursor: row.cursor,
    stepLog: JSON.parse(row.step_log),
    wakeAt: row.wake_at,
    attempts: row.attempts,
    error: row.error,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    ...(row.rerun_of ? { rerunOf: row.rerun_of } : {}),
    ...(row.rerun_from != null ? { rerunFromStep: row.rerun_from + 1 } : {}),
  });
}
