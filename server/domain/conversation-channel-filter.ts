import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { CHANNEL_KINDS } from '../../lib/contracts/channels';
import type { ListChannel } from '../../lib/contracts/conversations';

const ownChannels = sql.join(CHANNEL_KINDS.map((k) => sql.lit(k)));
const connectionKind = sql`(SELECT via.kind FROM connections AS via WHERE via.id = ${sql.ref('conversations.connection_id')})`;

/**
 * It lives in a Chatwoot account, connected or not: as the list's rows say (conversation-list.ts
 * livesInChatwoot), a connection that is not one of the companion's WhatsApp numbers or Pages.
 */
const inChatwoot = sql<SqlBool>`(${sql.ref('conversations.connection_id')} IS NOT NULL AND COALESCE(${connectionKind}, '') NOT IN (${ownChannels}))`;

/**
 * `channel` of GET /conversations, as the row's badge says it (list.ts channelBadge): Chatwoot's
 * whatever its channel there; else its channel_type, the built-in inbox's being none and no
 * customer id of a channel (conversation-place.ts channelTypeOf). A filter on the rows the page
 * reads from its index: no index has the channel, a rare one reads further into the tab.
 */
export function channelIs(channel: ListChannel): RawBuilder<SqlBool> {
  if (channel === 'chatwoot') return inChatwoot;
  const type = sql.ref('conversations.channel_type');
  const own = channel === 'inbox'
    ? sql<SqlBool>`(${type} = 'inbox' OR (${type} IS NULL AND ${sql.ref('conversations.connection_id')} IS NULL AND ${sql.ref('conversations.external_id')} IS NULL))`
    : sql<SqlBool>`${type} = ${sql.lit(channel)}`;
  return sql<SqlBool>`(${own} AND NOT ${inChatwoot})`;
}
