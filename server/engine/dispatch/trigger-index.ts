import type { Trigger, TriggerType } from '../../../lib/contracts/triggers';
import { runShaped } from '../../store/compiled-sql';
import type { UnitOfWork } from '../../events/unit-of-work';
import type { Executor } from '../../store/database';
import { triggerKeys } from './trigger-keys';

/**
 * Rewrites a workflow's rows in `trigger_index`: its trigger's keys while it is published,
 * none otherwise. Call in the transaction that changes the workflow.
 */
export async function writeTriggerIndex(db: Executor, workflowId: string, published: Trigger | null): Promise<void> {
  await db.deleteFrom('trigger_index').where('workflow_id', '=', workflowId).execute();
  if (!published) return;
  const rows = triggerKeys(workflowId, published).map((key) => ({ workflow_id: workflowId, trigger_type: published.type, trigger_key: key }));
  if (rows.length > 0) await db.insertInto('trigger_index').values(rows).execute();
}

export interface IndexedWorkflow { id: string; version: number; definition: string }

/** findIndexedWorkflows, looked up once per (type, keys) in a run round (uow.reads). */
export async function listenersIn(uow: UnitOfWork, type: TriggerType, keys: string[]): Promise<IndexedWorkflow[]> {
  const cache = uow.reads?.listeners ?? uow.listeners;
  if (!cache) return findIndexedWorkflows(uow.trx, type, keys);
  const key = `${type}\u0000${keys.join('\u0000')}`;
  let found = cache.get(key);
  if (!found) {
    found = await findIndexedWorkflows(uow.trx, type, keys);
    cache.set(key, found);
  }
  return found;
}

/** Published workflows listening on (type, key): an index lookup, never a scan of all workflows. */
export async function findIndexedWorkflows(db: Executor, type: TriggerType, keys: string[]): Promise<IndexedWorkflow[]> {
  if (keys.length === 0) return [];
  const rows = await runShaped(db, `indexedWorkflows:${keys.length}`, [type, ...keys, 'published'], () => db.selectFrom('trigger_index')
    .innerJoin('workflows', 'workflows.id', 'trigger_index.workflow_id')
    .select(['workflows.id', 'workflows.version', 'workflows.definition'])
    .where('trigger_index.trigger_type', '=', type)
    .where('trigger_index.trigger_key', 'in', keys)
    .where('workflows.status', '=', 'published')
    .orderBy('workflows.id'));
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
}
