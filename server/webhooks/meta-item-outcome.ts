import type { UnitOfWork } from '../events/unit-of-work';
import { findChannel } from '../channels/connections';
import { nowIso } from '../ids';
import type { ConnectionsTable } from '../store/schema';
import { toE164 } from './phone';

// What the handlers of Meta's webhook items (meta-ingest.ts and its siblings) share.

/**
 * How one item went. `ignored`: it names a WhatsApp number or Page not connected here (never
 * connected, or disconnected); nothing of it is stored and the webhook's answer says why.
 */
export interface ItemResult {
  runIds: string[];
  outcome: 'stored' | 'duplicate' | 'skipped' | 'ignored';
  /** Ignored or skipped: why, in words an admin can act on. */
  reason?: string;
}

type ChannelRef = { channel: 'whatsapp' | 'messenger'; accountId: string | null };

export async function channelOf(uow: UnitOfWork, item: ChannelRef): Promise<ConnectionsTable | undefined> {
  return item.accountId ? findChannel(uow.trx, item.channel, item.accountId) : undefined;
}

/**
 * An item for a number or Page this server does not serve. Meta's app delivers every number of a
 * subscribed WhatsApp Business Account and every subscribed Page, connected here or not: as
 * respond.io and Chatwoot do, such items are not stored (a conversation no reply could leave).
 */
export function notConnected(item: ChannelRef): ItemResult {
  const what = item.channel === 'whatsapp'
    ? `WhatsApp number ${item.accountId ?? '(no phone_number_id)'} (phone_number_id)`
    : `Facebook Page ${item.accountId ?? '(no id)'}`;
  return { runIds: [], outcome: 'ignored', reason: `${what} is not connected here (Channels): its events are not stored` };
}

export const skipped = (reason: string): ItemResult => ({ runIds: [], outcome: 'skipped', reason });
export const duplicate = (): ItemResult => ({ runIds: [], outcome: 'duplicate' });

/** Every run the item's transaction started (Conversation Opened, Click-to-Chat, …), for the webhook's answer. */
export function collectRuns(uow: UnitOfWork): string[] {
  uow.startedRuns = [];
  return uow.startedRuns;
}

/** True the first time a key is seen; a repeat (also concurrent: the insert waits for the other) is false. */
export async function firstTime(uow: UnitOfWork, key: string | null): Promise<boolean> {
  if (!key) return true;
  const r = await uow.trx.insertInto('meta_deliveries').values({ key: key.slice(0, 600), created_at: nowIso() })
    .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** A Mexican wa_id still carries the legacy 1 after 52; E.164 has dropped it. */
export const phoneOfWaId = (waId: string) => {
  const d = waId.replace(/\D/g, '');
  const mx = /^521(\d{10})$/.exec(d);
  return mx ? `+52${mx[1]}` : (toE164(d) ?? `+${d}`);
};
