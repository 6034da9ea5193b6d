import { WORKFLOW_FILE_FORMAT, type WorkflowFile, type WorkflowFileReferences } from '../../../lib/contracts/workflow-file';
import { credentialGaps } from '../../../lib/workflow/credential-placeholders';
import { customFieldUses, idReferences } from '../../../lib/workflow/references';
import { listFields } from '../../domain/fields';
import { notFound } from '../../http-error';
import { nowIso } from '../../ids';
import { fromJson, type Executor } from '../../store/database';
import { withoutCredentials } from './export-credentials';
import { parseDefinition } from './records';

/**
 * Workflows as a file another server can import: their definitions (never a webhook URL or
 * signing secret: those stay with the server, as n8n keeps credentials out of its exports; an
 * HTTP step's credentials become placeholders, export-credentials.ts; a trigger that required
 * signatures says so, without the secret), and
 * for each id they name what it is (a user's email, an app's key, a workflow's name) and the
 * custom fields they use, so the importing server can match its own (import.ts).
 */
export async function exportWorkflows(db: Executor, ids?: string[]): Promise<WorkflowFile> {
  let q = db.selectFrom('workflows').select(['id', 'name', 'definition', 'webhook_signing_secret']);
  if (ids) q = q.where('id', 'in', ids.length ? ids : ['']);
  const rows = await q.orderBy('name').orderBy('id').execute();
  const missing = (ids ?? []).filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw notFound(`Workflow ${missing.join(', ')}`);
  const workflows = rows.map((r) => ({
    id: r.id, definition: withoutCredentials(parseDefinition(r.definition)), ...(r.webhook_signing_secret ? { requireSignature: true } : {}),
  }));
  const credentialsLeftOut = workflows.flatMap((w) => w.definition.steps.flatMap((step, i) => credentialGaps(step).map((gap) => ({
    workflowId: w.id, stepId: step.id, path: ['steps', i, ...gap.path].join('.'), what: gap.what,
  }))));
  return {
    format: WORKFLOW_FILE_FORMAT, version: 1, exportedAt: nowIso(), workflows, references: await referencesOf(db, workflows.map((w) => w.definition)),
    ...(credentialsLeftOut.length ? { credentialsLeftOut } : {}),
  };
}

async function referencesOf(db: Executor, defs: WorkflowFile['workflows'][number]['definition'][]): Promise<WorkflowFileReferences> {
  const refs = defs.flatMap(idReferences);
  const idsOf = (kind: string) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
  const users = idsOf('user');
  const apps = idsOf('app');
  const workflows = idsOf('workflow');
  const fieldKeys = new Set(defs.flatMap(customFieldUses).map((u) => u.key));
  const [userRows, appRows, workflowRows, fields] = await Promise.all([
    users.length ? db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', users).execute() : [],
    apps.length ? db.selectFrom('apps').select(['id', 'key', 'manifest']).where('id', 'in', apps).execute() : [],
    workflows.length ? db.selectFrom('workflows').select(['id', 'name']).where('id', 'in', workflows).execute() : [],
    fieldKeys.size ? listFields(db) : [],
  ]);
  return {
    users: Object.fromEntries(userRows.map((u) => [u.id, { name: u.name, email: u.email }])),
    apps: Object.fromEntries(appRows.map((a) => [a.id, { key: a.key, name: fromJson<{ name?: string }>(a.manifest, {}).name ?? a.key }])),
    workflows: Object.fromEntries(workflowRows.map((w) => [w.id, { name: w.name }])),
    fields: Object.fromEntries(fields.filter((f) => fieldKeys.has(f.key)).map((f) => [f.key, { label: f.label, type: f.type, options: f.options }])),
  };
}
