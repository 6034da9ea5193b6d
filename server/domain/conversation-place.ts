import { BUILT_IN_CHANNEL } from '../../lib/contracts/conversation-channels';
import { CHANNEL_KINDS } from '../../lib/contracts/channels';
import type { ConversationsTable } from '../store/schema';

/**
 * Where a conversation lives beyond its connection: for a Chatwoot one, the Chatwoot inbox (its id
 * and name) and that inbox's channel in one word (lib/contracts/conversation-channels.ts), kept on
 * each open period (migration 081). Workflows read them as `$conversation.inboxName` /
 * `$conversation.channelType` and trigger rules test them.
 */
export interface ConversationPlace { inboxId: string | null; inboxName: string | null; channel: string | null }

/** The row's columns for a place (a value not known stays unset). */
export const placeColumns = (p: ConversationPlace): Partial<ConversationsTable> => ({
  ...(p.inboxId !== null ? { inbox_external_id: p.inboxId } : {}),
  ...(p.inboxName !== null ? { inbox_name: p.inboxName } : {}),
  ...(p.channel !== null ? { channel_type: p.channel } : {}),
});

/**
 * The channel of a new conversation: what its inbox says (Chatwoot), else its connection's kind
 * when that is a channel of the companion's own (whatsapp, messenger); the built-in inbox's is
 * implied by having no connection (channelTypeOf).
 */
export const channelOnOpen = (kind: string, place: ConversationPlace | undefined): string | null =>
  place?.channel ?? ((CHANNEL_KINDS as readonly string[]).includes(kind) ? kind : null);

/**
 * A conversation kept after its WhatsApp number or Page was deleted (no connection, the customer's
 * id kept: channels/disconnected.ts) still says the channel it was on, as a disconnected Chatwoot
 * account's still says its inbox's: it is that channel's customer, whom replies no longer reach. Its
 * channel was not kept before migration 081: null (not known), never `inbox`.
 */
export const channelTypeOf = (r: Pick<ConversationsTable, 'channel_type' | 'connection_id' | 'external_id'>): string | null =>
  r.channel_type ?? (r.connection_id || r.external_id ? null : BUILT_IN_CHANNEL);

/**
 * The columns of a conversation that goes onto a WhatsApp number or Page of the companion's own (a
 * workflow's Open conversation, a template's move, the customer writing on another one): its channel
 * goes with it, or `$conversation.channelType` and Conversation Closed's channel rule would still
 * say where it was (null for a built-in one, messenger for one moved to WhatsApp).
 */
export const onChannelColumns = (to: { connectionId: string; externalId: string; kind: string }): Partial<ConversationsTable> =>
  ({ connection_id: to.connectionId, external_id: to.externalId, channel_type: to.kind });
