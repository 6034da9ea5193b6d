// One page adapter per inbox: where the launcher goes, which conversation is open, where focus
// returns. The launcher's mounting code knows only this interface, so the next inbox is one file.

export type AdapterKind = 'builtin' | 'chatwoot';

/** The open conversation as the inbox names it; `accountId` for inboxes with several accounts. */
export interface ConversationRef {
  accountId?: string;
  conversationId: string;
}

/**
 * Who the inbox page says is signed in: its user id (the built-in inbox) or the agent's email
 * (Chatwoot, whose agents the companion matches to its users by email, as the Assign step does).
 */
export interface PageUser {
  id?: string;
  email?: string;
  name?: string;
}

export interface PageAdapter {
  kind: AdapterKind;
  /** Shown in the options page's adapter picker. */
  label: string;
  /** Whether a page at this URL looks like this inbox (used when an origin has no stored choice). */
  matches(url: URL): boolean;
  conversationRef(doc: Document, url: URL): ConversationRef | null;
  /** The element the launcher is appended to (the composer's button row). */
  toolbarAnchor(doc: Document): HTMLElement | null;
  /** Where focus goes back when the menu or a form closes: the inbox's own editor. */
  focusTarget(doc: Document): HTMLElement | null;
  /**
   * With a conversation open but no anchor (the inbox changed its markup), show a floating
   * launcher and report that the adapter needs updating. Off where a missing anchor is normal.
   */
  floatWhenAnchorMissing: boolean;
  /**
   * The companion conversation id is the ref itself (built-in inbox), or must be resolved
   * through the server's mapping (outside inboxes).
   */
  resolvesThroughServer: boolean;
  /**
   * Who is signed in to the inbox in this page, read afresh on each call; null when the page
   * does not say. The launcher will not act as anyone else (components/launcher/seat.ts).
   */
  signedInUser?(doc: Document): PageUser | null;
}

export const sameRef = (a: ConversationRef | null, b: ConversationRef | null) =>
  a === b || (!!a && !!b && a.accountId === b.accountId && a.conversationId === b.conversationId);
