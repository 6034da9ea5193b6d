import { stampSeconds } from './payloads';

/**
 * Whether a Chatwoot conversation the account sees for the first time (no applied state, no
 * companion conversation) is imported: mirrored as it already was, its opening, labels and its
 * new contact's attribute values recorded but starting no run (EventInput.imported), as
 * respond.io's and Chatwoot's own imports do. It is, while the account's import is not done (no
 * successful sync yet: the first pass, Sync now or periodic, is the import), when Chatwoot created
 * it before the account was connected. Chatwoot keeps no "opened at" for a reopen, so only the
 * import pass knows which old conversations were open then: once it is done, an old conversation
 * seen for the first time was opened since (a lost delivery) and fires like its webhook would.
 * A delivery that reports a reopen itself (`status` changed from resolved) is news in any case.
 */
export function isImport(a: {
  /** Chatwoot's `created_at` (whole seconds in REST and webhooks). */
  createdAt: unknown;
  /** `connections.created_at` of the account. */
  connectedAt: string;
  /** The account has completed a sync (`connections.last_synced_at`). */
  imported: boolean;
  /** The delivery says Chatwoot just reopened it. */
  reportsReopen: boolean;
  /** The delivery is its `conversation_created`, sent as Chatwoot creates it. */
  reportsCreation?: boolean;
  /** The account was connected again after a disconnect (same webhook URL, which Chatwoot kept posting to). */
  relinked?: boolean;
}): boolean {
  if (a.imported || a.reportsReopen) return false;
  const created = stampSeconds(a.createdAt);
  // No stamp at all: nothing says it is new, and firing on an old conversation is the worse mistake.
  if (created === null) return true;
  const connected = Date.parse(a.connectedAt) / 1000;
  if (created < Math.floor(connected)) return true;
  // Created in the second of the connection (Chatwoot truncates, the connection has milliseconds).
  // A first connection counts it as after: Chatwoot learns the webhook URL only then, so what
  // comes next is found by a sync. A reconnection counts it as before unless its creation is
  // being delivered: Chatwoot still posts to the kept URL, so what a sync alone finds in that
  // second was there before (it fired Conversation Opened).
  return Boolean(a.relinked) && !a.reportsCreation && created === Math.floor(connected) && created < connected;
}
