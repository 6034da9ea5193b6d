import { z } from 'zod';
import { Id } from './common';

// Until the chatwoot-server branch (lib/contracts/chatwoot.ts, same names and shapes) is merged:
// then this file goes and its importers take the same schemas from there.
// GET /api/v1/chatwoot/conversations/resolve: which companion conversation mirrors a Chatwoot
// conversation. The extension's Chatwoot adapter and the Dashboard App page ask it before a
// launch (Chatwoot names conversations by account + display id, the launch API by our id).

/** The Chatwoot conversation as the dashboard shows it: its origin, account and display id. */
export const ChatwootResolveQuery = z.object({
  origin: z.string().trim().min(1).max(500),
  accountId: z.coerce.number().int().positive(),
  conversationId: z.coerce.number().int().positive(),
});
export type ChatwootResolveQuery = z.infer<typeof ChatwootResolveQuery>;

export const ChatwootResolveResult = z.object({
  conversationId: Id,
  contactId: Id,
  connectionId: Id,
  status: z.enum(['open', 'closed']),
});
export type ChatwootResolveResult = z.infer<typeof ChatwootResolveResult>;

/** Error code of a 404 when no connected Chatwoot account matches the origin and account id. */
export const CHATWOOT_NOT_CONNECTED = 'chatwoot_not_connected';
