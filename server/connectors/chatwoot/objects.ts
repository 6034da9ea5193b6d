import { nowIso } from '../../ids';
import { fromJson, toJson, type Executor } from '../../store/database';

/** The last Chatwoot state applied to an object, and the Chatwoot `updated_at` (seconds) it carried. */
export interface MirroredObject<S> { version: number; state: S; companionId: string | null }

export async function loadObject<S>(db: Executor, connectionId: string, kind: 'contact' | 'conversation', externalId: number | string): Promise<MirroredObject<S> | undefined> {
  const row = await db.selectFrom('chatwoot_objects').select(['version', 'state', 'companion_id'])
    .where('connection_id', '=', connectionId).where('kind', '=', kind).where('external_id', '=', String(externalId)).executeTakeFirst();
  return row && { version: Number(row.version), state: fromJson<S>(row.state, {} as S), companionId: row.companion_id };
}

export async function saveObject(db: Executor, connectionId: string, kind: 'contact' | 'conversation', externalId: number | string, version: number, state: unknown, companionId: string | null) {
  const values = { version, state: toJson(state), companion_id: companionId, updated_at: nowIso() };
  await db.insertInto('chatwoot_objects').values({ connection_id: connectionId, kind, external_id: String(externalId), ...values })
    .onConflict((oc) => oc.columns(['connection_id', 'kind', 'external_id']).doUpdateSet(values)).execute();
}

/**
 * True when the incoming state is older than the one applied: Chatwoot builds webhook payloads in a
 * background job from the reloaded record and delivers them in no guaranteed order. REST answers
 * carry whole seconds (`.to_i`), so an integer stamp is older only by a full second or more.
 */
export function isStale(stored: number | undefined, incoming: number | null): boolean {
  if (stored === undefined || incoming === null) return false;
  return incoming + (Number.isInteger(incoming) ? 1 : 0) < stored;
}
