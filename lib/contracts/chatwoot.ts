import { z } from 'zod';
import { listQuery } from './list-query';
import { Id, Timestamp } from './common';

/**
 * A connected Chatwoot account (DESIGN §12). The API access token and the webhook secret are
 * sealed by the server's vault and never come back: only their last four characters.
 */
/**
 * Stored and shown in one spelling however it was typed (`HTTP://Chat.Example.com:80/` is
 * `http://chat.example.com`): scheme and host in lower case, the scheme's default port and a
 * trailing slash dropped, as the account's later errors quote it. Which spellings are the same
 * Chatwoot is server/connectors/chatwoot/same-account.ts.
 */
export const ChatwootBaseUrl = z.string().trim().max(500)
  .pipe(z.url({ protocol: /^https?$/, message: 'Enter the address of your Chatwoot, e.g. https://chatwoot.example.com' }))
  .transform((u) => {
    const url = new URL(u);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  });

export const ChatwootConnectBody = z.object({
  baseUrl: ChatwootBaseUrl,
  accountId: z.coerce.number().int('The account id is the number in /app/accounts/<id>/ of your Chatwoot URL').positive().max(2 ** 31),
  apiAccessToken: z.string().trim().min(8, 'Paste the access token from Chatwoot: Profile settings → Access Token').max(200),
  /** Chatwoot ≥ 4.11.2 signs webhooks with the secret it shows for the webhook; leave out for older versions. */
  webhookSecret: z.string().trim().min(8).max(200).optional(),
  name: z.string().trim().min(1).max(100).optional(),
});
export type ChatwootConnectBody = z.infer<typeof ChatwootConnectBody>;

/**
 * Strict: a field it does not take (`accountId`, a misspelt `baseURL`) is a 422 naming it; dropped,
 * it answered 200 with nothing changed.
 */
export const ChatwootPatchBody = z.strictObject({
  /**
   * Where the same Chatwoot answers now (it moved to https, to another domain): checked like a
   * connect. On the same host (another scheme, port or path) only when the connected token is
   * accepted there too; on another host only with `apiAccessToken` in the same change (else 422
   * `chatwoot_token_required`, nothing sent): the connected token never leaves its host.
   */
  baseUrl: ChatwootBaseUrl.optional(),
  apiAccessToken: z.string().trim().min(8).max(200).optional(),
  /** null removes the secret (deliveries are then accepted unsigned). */
  webhookSecret: z.string().trim().min(8).max(200).nullable().optional(),
  name: z.string().trim().min(1).max(100).optional(),
}, {
  error: (issue) => (issue.code === 'unrecognized_keys'
    ? `Only baseUrl, apiAccessToken, webhookSecret and name can be changed (not ${issue.keys.join(', ')})${issue.keys.includes('accountId') ? ': another account id is another account; connect it as a new one' : ''}`
    : undefined),
});
export type ChatwootPatchBody = z.infer<typeof ChatwootPatchBody>;

export const ChatwootAccount = z.object({
  id: Id,
  name: z.string(),
  baseUrl: z.string(),
  /** The browser origin of the Chatwoot dashboard (scheme://host[:port]). */
  origin: z.string(),
  accountId: z.number(),
  /** The connected Chatwoot user the token belongs to (who the companion acts as). */
  agentName: z.string().nullable(),
  tokenLastFour: z.string(),
  webhookSecretLastFour: z.string().nullable(),
  /** Paste into Chatwoot: Settings → Integrations → Webhooks. */
  webhookUrl: z.string(),
  /**
   * Who Chatwoot shows as the writer of what workflows post: the account's agent bot, or the
   * connected user (`note` says why: a Chatwoot without agent bots, the bot's token refused).
   * Optional: a server from before it does not say.
   */
  postsAs: z.object({ kind: z.enum(['bot', 'user']), name: z.string().nullable(), note: z.string().nullable() }).optional(),
  status: z.enum(['active', 'error']),
  /** Connected again after a disconnect: the conversations and contacts mirrored before were picked up, not copied anew. */
  relinked: z.boolean().optional(),
  lastSyncedAt: Timestamp.nullable(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
});
export type ChatwootAccount = z.infer<typeof ChatwootAccount>;
export const ChatwootAccountList = z.object({ accounts: z.array(ChatwootAccount) });

export const ChatwootSyncResult = z.object({
  account: ChatwootAccount,
  conversations: z.number(),
  contacts: z.number(),
  repaired: z.number(),
  /**
   * What the pass could not copy as Chatwoot has it (an attribute value a field refuses, e.g. not one
   * of a list's options) and conversations it closed because Chatwoot deleted them; at most 20.
   */
  notes: z.array(z.string()).optional(),
});

/**
 * DELETE /chatwoot/accounts/:id: what disconnecting did. The webhook URL stops at once; contacts
 * and conversations mirrored from the account stay (`openConversations` of them still open, not
 * updated any more); connecting the same address and account id again picks them up.
 */
export const ChatwootDisconnected = z.object({
  id: Id,
  openConversations: z.number().int().min(0),
  message: z.string(),
});
export type ChatwootDisconnected = z.infer<typeof ChatwootDisconnected>;

/** The inboxes of the connected Chatwoot accounts (trigger rules on an inbox pick from these). */
export const ChatwootInboxList = z.object({
  inboxes: z.array(z.object({ connectionId: Id, account: z.string(), id: z.number(), name: z.string(), channel: z.string().nullable() })),
  /** Accounts whose inboxes could not be read now, and why. */
  errors: z.array(z.object({ connectionId: Id, account: z.string(), message: z.string() })),
});
export type ChatwootInboxList = z.infer<typeof ChatwootInboxList>;

/** What any signed-in user (the extension) may know of the connected accounts: where their dashboards are. */
export const ChatwootOriginList = z.object({
  origins: z.array(z.object({ connectionId: Id, name: z.string(), origin: z.string(), accountId: z.number() })),
});
export type ChatwootOriginList = z.infer<typeof ChatwootOriginList>;

/** The extension knows the dashboard's origin, the account and the conversation number (the URL). */
export const ChatwootResolveQuery = listQuery({
  origin: z.string().trim().min(1).max(500),
  accountId: z.coerce.number().int().positive(),
  conversationId: z.coerce.number().int().positive(),
}, 'this route');
export const ChatwootResolveResult = z.object({
  conversationId: Id,
  contactId: Id,
  connectionId: Id,
  status: z.enum(['open', 'closed']),
});
export type ChatwootResolveResult = z.infer<typeof ChatwootResolveResult>;

/** The webhook events the companion mirrors; subscribe to these in Chatwoot. */
export const CHATWOOT_WEBHOOK_EVENTS = [
  'conversation_created', 'conversation_status_changed', 'conversation_updated',
  'contact_created', 'contact_updated', 'message_created',
] as const;
