import type { z } from 'zod';
import { Run } from '../../lib/contracts/runs';
import { WorkflowDefinition, type WorkflowDefinitionInput } from '../../lib/contracts/workflow';
import type { StepInput } from '../../lib/contracts/steps';
import { createContact } from '../../server/domain/contacts';
import { openConversation } from '../../server/domain/conversations';
import { inTransaction } from '../../server/events/unit-of-work';
import { newId, nowIso } from '../../server/ids';
import type { Services } from '../../server/services';
import { fromJson, toJson, type Db } from '../../server/store/database';
import type { RunsTable } from '../../server/store/schema';

// Rows for engine tests, written straight to the store (no API, no dispatcher): a workflow with
// its version, a queued run, a contact with an open conversation.

export const makeWorkflow = (overrides: Partial<WorkflowDefinitionInput> & { steps: StepInput[] }): WorkflowDefinition =>
  WorkflowDefinition.parse({ name: 'Test workflow', trigger: { type: 'manual' }, ...overrides });

/** Inserts a published workflow and its version 1 (or `version`). */
export async function insertWorkflow(db: Db, definition: WorkflowDefinition, opts: { id?: string; version?: number } = {}) {
  const id = opts.id ?? newId('wf');
  const version = opts.version ?? 1;
  const now = nowIso();
  await db.insertInto('workflows').values({
    id, name: definition.name, status: 'published', trigger_type: definition.trigger.type, definition: toJson(definition),
    version, webhook_token: null, created_at: now, updated_at: now, published_at: now,
  }).execute();
  await db.insertInto('workflow_versions').values({ workflow_id: id, version, definition: toJson(definition), created_at: now }).execute();
  return { id, version };
}

export interface RunInput {
  workflowId: string;
  contactId: string;
  version?: number;
  conversationId?: string | null;
  trigger?: Record<string, unknown>;
  depth?: number;
  status?: 'queued' | 'waiting' | 'running';
  wakeAt?: string | null;
}

/** A queued run, as the dispatcher would create it. */
export async function insertRun(db: Db, r: RunInput): Promise<string> {
  const id = newId('run');
  const now = nowIso();
  await db.insertInto('runs').values({
    id, workflow_id: r.workflowId, workflow_version: r.version ?? 1, contact_id: r.contactId, conversation_id: r.conversationId ?? null,
    event_id: newId('evt'), event_type: 'test', variables: toJson({ trigger: r.trigger ?? {} }), status: r.status ?? 'queued',
    cursor: 0, step_log: '[]', wake_at: r.wakeAt ?? null, attempts: 0, jumps: 0, depth: r.depth ?? 0,
    lease_owner: null, lease_until: null, error: null, created_at: now, updated_at: now, ended_at: null, blocked: 0,
  }).execute();
  return id;
}

export async function insertContact(services: Services, input: { firstName?: string; tags?: string[]; fields?: Record<string, string | number | boolean | null>; open?: boolean } = {}) {
  return inTransaction(services.db, async (uow) => {
    const contact = await createContact(uow, services, {
      firstName: input.firstName ?? 'Ada', lastName: 'Lovelace', tags: input.tags ?? [], fields: input.fields ?? {},
    }, { source: 'api' });
    const conversation = input.open === false ? null : await openConversation(uow, services, contact.id, { source: 'api' });
    return { contact, conversation };
  });
}

/**
 * A backlog: `perContact` queued runs of a new published workflow with `steps` for each of
 * `contacts` new contacts (each with an open conversation), inserted as ingestion would (the
 * contacts in turn, oldest first), in one transaction. The run's trigger variables carry `n`.
 */
export async function queueRuns(services: Services, contacts: number, perContact: number, steps: StepInput[]) {
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps }));
  const made: Awaited<ReturnType<typeof insertContact>>[] = [];
  for (let c = 0; c < contacts; c++) made.push(await insertContact(services));
  const ids = await services.db.transaction().execute(async (trx) => {
    const out: string[] = [];
    for (let n = 0; n < perContact; n++) for (const { contact, conversation } of made) out.push(await insertRun(trx, { workflowId: wf.id, contactId: contact.id, conversationId: conversation!.id, trigger: { n } }));
    return out;
  });
  return { workflowId: wf.id, made, ids };
}

export const toRun = (r: RunsTable): Run => Run.parse({
  id: r.id, workflowId: r.workflow_id, workflowVersion: r.workflow_version, contactId: r.contact_id, conversationId: r.conversation_id,
  triggerEvent: { id: r.event_id, type: r.event_type }, variables: fromJson(r.variables, {}), status: r.status, cursor: r.cursor,
  stepLog: fromJson(r.step_log, []), wakeAt: r.wake_at, attempts: r.attempts, error: r.error, createdAt: r.created_at, endedAt: r.ended_at,
});

export async function getRun(db: Db, id: string): Promise<Run> {
  return toRun(await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
}

/** Polls until the run reaches one of `statuses` (default: ended). */
export async function waitForRun(db: Db, id: string, statuses: z.infer<typeof Run>['status'][] = ['completed', 'failed', 'cancelled'], timeoutMs = 15_000): Promise<Run> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(db, id);
    if (statuses.includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${id} is still ${run.status} (wanted ${statuses.join('/')}): ${JSON.stringify(run.stepLog)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
