import { sql } from 'kysely';
import type { Trigger, TriggerType } from '../../../lib/contracts/triggers';
import { runShaped } from '../../store/compiled-sql';
import type { UnitOfWork } from '../../events/unit-of-work';
import { isPostgres, type Executor } from '../../store/database';
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
  const key = listenerKey(type, keys);
  let found = cache.get(key);
  if (!found) {
    found = await findIndexedWorkflows(uow.trx, type, keys);
    cache.set(key, found);
  }
  return found;
}

const listenerKey = (type: TriggerType, keys: readonly string[]) => `${type}\u0000${keys.join('\u0000')}`;

/**
 * Puts the listeners of many events into the cache listenersIn reads (uow.listeners), in one
 * statement for all (a contact import's part: each new contact's tags would be a lookup each).
 */
export async function prefetchListeners(uow: UnitOfWork, matches: readonly { type: TriggerType; keys: string[] }[]): Promise<void> {
  const cache = uow.reads?.listeners ?? uow.listeners;
  if (!cache) return;
  const wanted = new Map<string, { type: TriggerType; keys: string[] }>();
  for (const m of matches) if (m.keys.length > 0 && !cache.has(listenerKey(m.type, m.keys))) wanted.set(listenerKey(m.type, m.keys), m);
  if (wanted.size === 0) return;
  const types = [...new Set([...wanted.values()].map((m) => m.type))];
  const keys = [...new Set([...wanted.values()].flatMap((m) => m.keys))];
  const byKey = new Map<string, IndexedWorkflow[]>();
  for (const r of await indexedRows(uow.trx, types, keys)) {
    const key = listenerKey(r.trigger_type as TriggerType, [r.trigger_key]);
    byKey.set(key, [...byKey.get(key) ?? [], { id: r.id, version: r.version, definition: r.definition }]);
  }
  // As findIndexedWorkflows answers: in workflow id order, each workflow once.
  for (const [key, m] of wanted) {
    const rows = m.keys.flatMap((k) => byKey.get(listenerKey(m.type, [k])) ?? []).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    cache.set(key, rows.filter((r, i) => i === 0 || rows[i - 1]!.id !== r.id));
  }
}

/** PostgreSQL: the keys as one array (one text for any count); SQLite: lists of at most 500. */
async function indexedRows(db: Executor, types: string[], keys: string[]) {
  const query = db.selectFrom('trigger_index')
    .innerJoin('workflows', 'workflows.id', 'trigger_index.workflow_id')
    .select(['trigger_index.trigger_type', 'trigger_index.trigger_key', 'workflows.id', 'workflows.version', 'workflows.definition'])
    .where('trigger_index.trigger_type', 'in', types)
    .where('workflows.status', '=', 'published')
    .orderBy('workflows.id');
  if (isPostgres(db)) return query.where('trigger_index.trigger_key', '=', sql<string>`ANY(${keys}::text[])`).execute();
  const rows = [];
  for (let i = 0; i < keys.length; i += 500) rows.push(...await query.where('trigger_index.trigger_key', 'in', keys.slice(i, i + 500)).execute());
  return rows;
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
