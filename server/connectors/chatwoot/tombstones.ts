import { z } from 'zod';
import { newId, nowIso } from '../../ids';
import { fromJson, toJson, type Executor } from '../../store/database';
import { sameChatwootAccount } from './same-account';

/**
 * What stays of a disconnected Chatwoot account: a `connections` row of its own kind (so nothing
 * that looks connections up by id or by kind `chatwoot` finds it: webhooks, steps, syncs) holding
 * where the account was, its name and the id its mirror rows carry, and of its secrets only the
 * webhook URL's token and signing secret (never the API token). Connecting the
 * same account again (same-account.ts: the scheme, a default port, the host's case and a trailing
 * slash do not count) takes that id back, which re-links the conversations,
 * messages, contacts (channel_identities `chatwoot:<id>`) and applied state mirrored before, and
 * the same webhook URL, which Chatwoot's webhook settings still hold; meanwhile the inbox still
 * names the account of a conversation mirrored from it.
 */
export const TOMBSTONE_KIND = 'chatwoot_disconnected';

const Tombstone = z.object({ baseUrl: z.string(), accountId: z.number(), origin: z.string(), connectionId: z.string(), disconnectedAt: z.string() });
export type Tombstone = z.infer<typeof Tombstone> & { tombstoneId: string; name: string; sealed: string };

async function tombstones(db: Executor): Promise<Tombstone[]> {
  const rows = await db.selectFrom('connections').select(['id', 'name', 'config', 'secrets']).where('kind', '=', TOMBSTONE_KIND).execute();
  return rows.flatMap((r) => {
    const parsed = Tombstone.safeParse(fromJson(r.config, {}));
    return parsed.success ? [{ ...parsed.data, tombstoneId: r.id, name: r.name, sealed: r.secrets }] : [];
  });
}

export async function disconnectedBefore(db: Executor, baseUrl: string, accountId: number): Promise<Tombstone | undefined> {
  return (await tombstones(db)).find((t) => sameChatwootAccount(t, { baseUrl, accountId }));
}

/** The disconnected account a conversation's connection id was (for the inbox to name it). */
export async function tombstoneOf(db: Executor, connectionId: string): Promise<Tombstone | undefined> {
  return (await tombstones(db)).find((t) => t.connectionId === connectionId);
}

/** `sealed`: the vault-sealed `{ webhookToken, webhookSecret }` to give back on reconnecting. */
export async function leaveTombstone(db: Executor, account: { connectionId: string; name: string; baseUrl: string; accountId: number; origin: string }, sealed: string) {
  const now = nowIso();
  // One per account: an older one for the same id or the same address and account goes.
  const older = (await tombstones(db)).filter((t) => t.connectionId === account.connectionId || sameChatwootAccount(t, account));
  if (older.length) await db.deleteFrom('connections').where('id', 'in', older.map((t) => t.tombstoneId)).execute();
  await db.insertInto('connections').values({
    id: newId('cwx'), kind: TOMBSTONE_KIND, name: account.name, secrets: sealed, status: 'disconnected', last_synced_at: null, last_error: null,
    config: toJson({ baseUrl: account.baseUrl, accountId: account.accountId, origin: account.origin, connectionId: account.connectionId, disconnectedAt: now } satisfies z.infer<typeof Tombstone>),
    created_at: now, updated_at: now,
  }).execute();
}
