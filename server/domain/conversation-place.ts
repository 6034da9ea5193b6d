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

export const channelTypeOf = (r: Pick<ConversationsTable, 'channel_type' | 'connection_id'>): string | null =>
  r.channel_type ?? (r.connection_id ? null : BUILT_IN_CHANNEL);
