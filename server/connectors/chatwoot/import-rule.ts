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
}): boolean {
  if (a.imported || a.reportsReopen) return false;
  const created = stampSeconds(a.createdAt);
  // Chatwoot truncates to the second: created in the second of the connection counts as after it.
  // No stamp at all: nothing says it is new, and firing on an old conversation is the worse mistake.
  return created === null || created < Math.floor(Date.parse(a.connectedAt) / 1000);
}
