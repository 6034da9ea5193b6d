import type { Services } from '../../services';
import { channelOfType } from './channel-type';
import { apiFor, type ChatwootConnection } from './connections';
import type { ConversationPlace } from '../../domain/conversation-place';
import type { CwConversation } from './payloads';

/** A Chatwoot inbox as the companion names it: its id, name and channel in one word. */
export interface ChatwootInbox { id: number; name: string; channel: string | null }

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { at: number; inboxes: Map<number, ChatwootInbox> }>();

/** The account's inboxes, read now (GET …/inboxes) and kept five minutes; throws what the API throws. */
export async function listInboxes(services: Services, conn: ChatwootConnection): Promise<ChatwootInbox[]> {
  const listed = await apiFor(services, conn).inboxes();
  const inboxes = listed.map((i) => ({ id: i.id, name: i.name, channel: channelOfType(i.channel_type, i.medium) }));
  cache.set(conn.row.id, { at: Date.now(), inboxes: new Map(inboxes.map((i) => [i.id, i])) });
  return inboxes;
}

/**
 * Where a Chatwoot conversation lives: its inbox (conversation payloads carry only `inbox_id` and
 * the channel type; the name comes from the inbox list, read at most every five minutes per
 * account, or again for an inbox not seen yet). Chatwoot not answering leaves the name unknown
 * (the one stored stays) and the channel as the payload says: the next delivery or sync fills it.
 */
export async function placeOf(services: Services, conn: ChatwootConnection, conv: CwConversation): Promise<ConversationPlace> {
  const inboxId = conv.inbox_id ?? null;
  const fromPayload = channelOfType(conv.channel ?? conv.meta.channel);
  if (inboxId === null) return { inboxId: null, inboxName: null, channel: fromPayload };
  let entry = cache.get(conn.row.id);
  if (!entry || Date.now() - entry.at > TTL_MS || !entry.inboxes.has(inboxId)) {
    try {
      await listInboxes(services, conn);
      entry = cache.get(conn.row.id);
    } catch (err) {
      services.log.warn({ err, connection: conn.row.id }, 'Chatwoot inboxes could not be read; the inbox name is filled later');
    }
  }
  const inbox = entry?.inboxes.get(inboxId);
  // The list's channel knows a Twilio inbox's medium (SMS or WhatsApp); the payload's does not.
  return { inboxId: String(inboxId), inboxName: inbox?.name ?? null, channel: inbox?.channel ?? fromPayload };
}

/** Forgets an account's inboxes (it was disconnected or reconnected). */
export const forgetInboxes = (connectionId: string) => cache.delete(connectionId);
