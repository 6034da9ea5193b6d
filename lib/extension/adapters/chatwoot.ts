import type { ConversationRef, PageAdapter } from './types';

// Chatwoot's agent dashboard (a Vue single-page app). Facts and citations:
// shared/connectors/chatwoot/FACTS.md §3, read at chatwoot/chatwoot 79381a4 (v4.9.1).

/**
 * Every conversation route: `/app/accounts/:accountId/conversations/:id` and its scoped variants
 * (`inbox/:id/`, `label/:label/`, `team/:id/`, `custom_view/:id/`, `mentions/`, `unattended/`,
 * `participating/`), app/javascript/dashboard/routes/dashboard/conversation/conversation.routes.js.
 */
const CONVERSATION_ROUTE = /\/app\/accounts\/(\d+)\/(?:.+\/)?conversations\/(\d+)(?:\/|$)/;
/** The inbox view (notifications): `/app/accounts/:accountId/inbox-view/conversation/:id` (routes/dashboard/inbox/routes.js). */
const INBOX_VIEW_ROUTE = /\/app\/accounts\/(\d+)\/inbox-view\/conversation\/(\d+)(?:\/|$)/;
const DASHBOARD = /\/app\/accounts\/\d+(?:\/|$)/;

/** The account and conversation display id in a dashboard URL, or null off a conversation. */
export function parseChatwootUrl(url: URL): ConversationRef | null {
  // Older releases route the inbox view by notification id (`inbox-view/:notification_id`):
  // that number is not a conversation, so it reads as no conversation.
  const match = INBOX_VIEW_ROUTE.exec(url.pathname) ?? CONVERSATION_ROUTE.exec(url.pathname);
  if (!match) return null;
  return { accountId: match[1]!, conversationId: match[2]! };
}

/**
 * The reply box of the open conversation: `div.reply-box` (ReplyBox.vue; `.is-private` in note
 * mode), the one inside the conversation view when the page holds several.
 */
export function replyBox(doc: Document): HTMLElement | null {
  return doc.querySelector<HTMLElement>('.conversation-details-wrap .reply-box') ?? doc.querySelector<HTMLElement>('.reply-box');
}

/**
 * The signed-in agent's email, from the cookie Chatwoot's dashboard keeps its session in:
 * `cw_d_session_info`, js-cookie's encoding of JSON.stringify(response.headers) of the sign-in
 * (app/javascript/dashboard/store/utils/api.js `setAuthCredentials`; docs: chatwoot.com/docs/product/others/cookies),
 * whose devise_token_auth `uid` is the user's email (app/models/user.rb `set_password_and_uid`).
 * Only `uid` is read; the access token beside it is never kept. Null when there is no such
 * cookie (signed out, or a deployment that made it HttpOnly).
 */
export function chatwootSignedInEmail(cookie: string): string | null {
  for (const pair of cookie.split(/;\s*/)) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq) !== 'cw_d_session_info') continue;
    const raw = pair.slice(eq + 1);
    for (const text of [decoded(raw), raw]) {
      try {
        const uid = (JSON.parse(text) as { uid?: unknown } | null)?.uid;
        if (typeof uid === 'string' && uid.includes('@')) return uid.trim();
      } catch {
        // not this reading
      }
    }
  }
  return null;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export const chatwootAdapter: PageAdapter = {
  kind: 'chatwoot',
  label: 'Chatwoot',
  matches: (url) => DASHBOARD.test(url.pathname),
  conversationRef: (_doc, url) => parseChatwootUrl(url),
  /**
   * The icon buttons of the bottom panel: `div.left-wrap` in `div.flex.justify-between.p-3`
   * (ReplyBottomPanel.vue since #10575, 2025-01) or in `div.bottom-box` (before), a child of the reply box.
   */
  toolbarAnchor(doc) {
    const box = replyBox(doc);
    if (!box) return null;
    return box.querySelector<HTMLElement>(':scope > .bottom-box > .left-wrap, :scope > div > .left-wrap');
  },
  /**
   * The editor: ProseMirror (`div.ProseMirror[contenteditable]`, WebWidget/Email/API inboxes and
   * notes) or `textarea.input` (other channels), ReplyBox.vue.
   */
  focusTarget(doc) {
    const box = replyBox(doc);
    if (!box) return null;
    return box.querySelector<HTMLElement>('.ProseMirror[contenteditable="true"]')
      ?? box.querySelector<HTMLElement>('textarea.input')
      ?? box.querySelector<HTMLElement>('textarea, [contenteditable="true"]');
  },
  floatWhenAnchorMissing: true,
  resolvesThroughServer: true,
  signedInUser(doc) {
    const email = chatwootSignedInEmail(doc.cookie);
    return email ? { email } : null;
  },
};
