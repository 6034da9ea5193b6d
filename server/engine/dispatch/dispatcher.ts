import type { WorkflowDefinition } from '../../../lib/contracts/workflow';
import type { Dispatcher, RecordedEvent } from '../../events/recorder';
import type { UnitOfWork } from '../../events/unit-of-work';
import { openConversationIn } from '../../domain/conversations';
import { newId, nowIso } from '../../ids';
import type { Services } from '../../services';
import { insertOne, runShaped } from '../../store/compiled-sql';
import { toJson } from '../../store/database';
import type { RunsTable } from '../../store/schema';
import { parseDefinition } from '../workflows/records';
import { runTriggerVariables, triggerAccepts, triggerMatchOf, type TriggerMatch } from './event-triggers';
import { listenersIn, type IndexedWorkflow } from './trigger-index';

/** Past this many workflow hops an event starts no run (DESIGN §7, loops). */
export const MAX_DEPTH = 10;

/**
 * Whether a person is waiting on the runs this event starts: an agent who launched a shortcut, a
 * customer who just wrote (answering an ad, or opening a conversation). Their runs take the
 * express lane (RunSignal.express) instead of waiting behind the runs queued before them. So do
 * the runs that a run on that lane starts in turn (another workflow it triggers, a tag it adds
 * that a workflow listens for: `waited`): the person waits on the chain, not on its first link.
 * Not other events of workflows (depth > 0), and not webhooks, tag or field changes: machines, or bulk.
 */
export function waitedOn(event: RecordedEvent): boolean {
  if (event.waited) return true;
  if (event.depth > 0) return false;
  if (event.type === 'shortcut.launched' || event.type === 'ad.clicked') return true;
  return event.type === 'conversation.opened' && (event.source === 'contact' || event.source === 'click_to_chat_ads');
}

/** Registers the engine's dispatcher: every recorded event reaches the triggers listening for it. */
export function registerEngineDispatch(services: Services): void {
  services.events.useDispatcher(createDispatcher(services));
}

export function createDispatcher(services: Services): Dispatcher {
  const definitions = new DefinitionCache();
  return async (uow, event) => {
    const match = triggerMatchOf(event);
    if (!match) return event.imported ? { runIds: [], note: importedNote([], event.importNote) } : { runIds: [] };
    const indexed = await listenersIn(uow, match.type, match.keys);
    const accepted = indexed
      .map((row) => ({ row, definition: definitions.get(row) }))
      .filter(({ definition }) => triggerAccepts(definition.trigger, match));
    if (event.imported) return { runIds: [], note: importedNote(accepted.map((a) => a.row.id), event.importNote) };
    if (accepted.length === 0) return { runIds: [] };
    if (event.depth > MAX_DEPTH) return { runIds: [], note: loopGuardNote(event.depth, accepted.map((a) => a.row.id)) };
    const created: { runId: string; workflowId: string }[] = [];
    const skipped: string[] = [];
    for (const { row, definition } of accepted) {
      for (const contactId of match.contactIds) {
        const runId = await startRun(uow, event, match, row, definition, contactId);
        if (runId) created.push({ runId, workflowId: row.id });
        else skipped.push(`${row.id} for ${contactId}`);
      }
    }
    if (created.length > 0) {
      const express = waitedOn(event);
      uow.afterCommit(() => {
        services.runSignal.notify();
        if (express) services.runSignal.express(created.map((c) => c.runId));
        for (const c of created) services.live.publish({ type: 'run.updated', runId: c.runId, workflowId: c.workflowId, status: 'queued' });
      });
    }
    const runIds = created.map((c) => c.runId);
    return skipped.length > 0 ? { runIds, note: onceSkippedNote(skipped) } : { runIds };
  };
}

/** Creates one queued run, or returns null when once-per-contact forbids it. */
async function startRun(
  uow: UnitOfWork, event: RecordedEvent, match: TriggerMatch, row: IndexedWorkflow, definition: WorkflowDefinition, contactId: string,
): Promise<string | null> {
  const trx = uow.trx;
  // Every run enrols its contact, so switching oncePerContact on later still sees past runs.
  // Inserting first and reading the outcome is race-free: a concurrent enrolment waits on the key.
  // In a run round, writes whose outcome nobody reads go out with the round's next statement
  // (DEFERRED): the enrolment unless once-per-contact asks, and the run (a new id).
  const enrolment = { workflow_id: row.id, contact_id: contactId, created_at: nowIso() };
  const enrol = () => trx.insertInto('enrollments').values(enrolment).onConflict((oc) => oc.columns(['workflow_id', 'contact_id']).doNothing());
  if (definition.oncePerContact || !uow.reads) {
    const inserted = await enrol().executeTakeFirst();
    if (definition.oncePerContact && !(Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0)) return null;
  } else {
    await runShaped(trx, 'enrol', [enrolment.workflow_id, enrolment.contact_id, enrolment.created_at], enrol, { deferred: true });
  }
  const conversationId = match.conversationId ?? (await openConversationIn(uow, contactId))?.id ?? null;
  const id = newId('run');
  const run = queuedRunRow({
    id, workflow: row, contactId, conversationId, event, triggerVariables: runTriggerVariables(definition.trigger, match), now: nowIso(),
  });
  await insertOne(trx, 'runs', run, { deferred: !!uow.reads });
  return id;
}

/**
 * The note on an imported event (EventInput.imported), with the workflows it would have started:
 * the run log's trigger view and the events table say why nothing ran.
 */
export const importedNote = (workflowIds: string[], why: string | null = null) =>
  `${why ?? IMPORTED_NOTE}${workflowIds.length ? `; not started: ${workflowIds.join(', ')}` : ''}`;
export const IMPORTED_NOTE = 'imported: already there when the inbox was connected, so no trigger fires';

/**
 * The note on an event the loop guard stopped. It reaches the step that recorded the event too
 * (EventInput.onNote): a chain that stops with every run "completed" must say why in a run's log.
 */
export const loopGuardNote = (depth: number, workflowIds: string[]) =>
  `not started: the loop guard stops chains deeper than ${MAX_DEPTH} workflows triggering each other `
  + `(this change came from a chain of ${depth}): ${workflowIds.join(', ')}`;

/** The note on an event whose runs once-per-contact did not start (entries: `<workflow> for <contact>`). */
export const onceSkippedNote = (skipped: string[]) => `once per contact: already enrolled, not started: ${skipped.join(', ')}`;

/** Pure: the row of a freshly queued run (the webhook batch path writes the same rows, many at a time). */
export function queuedRunRow(a: {
  id: string; workflow: { id: string; version: number }; contactId: string; conversationId: string | null;
  event: { id: string; type: string; depth: number }; triggerVariables: Record<string, unknown>; now: string; stepLog?: string;
}): RunsTable {
  return {
    id: a.id, workflow_id: a.workflow.id, workflow_version: a.workflow.version, contact_id: a.contactId, conversation_id: a.conversationId,
    event_id: a.event.id, event_type: a.event.type, variables: toJson({ trigger: a.triggerVariables }),
    status: 'queued', cursor: 0, step_log: a.stepLog ?? '[]', wake_at: null, attempts: 0, jumps: 0, depth: a.event.depth,
    lease_owner: null, lease_until: null, error: null, created_at: a.now, updated_at: a.now, ended_at: null, blocked: 0,
    // Only shortcut runs carry the column (085): every other row keeps the shape its statements were compiled for.
    ...(a.event.type === 'shortcut.launched' && typeof a.triggerVariables.launchedBy === 'string' ? { launched_by: a.triggerVariables.launchedBy } : {}),
  };
}

/** Parsed definitions by (workflow, version): a version never changes, so entries never go stale. */
export class DefinitionCache {
  private entries = new Map<string, WorkflowDefinition>();
  get(row: IndexedWorkflow): WorkflowDefinition {
    const key = `${row.id}@${row.version}`;
    let definition = this.entries.get(key);
    if (!definition) {
      definition = parseDefinition(row.definition);
      if (this.entries.size >= 5000) this.entries.clear();
      this.entries.set(key, definition);
    }
    return definition;
  }
}
