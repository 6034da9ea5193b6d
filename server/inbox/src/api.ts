// The inbox's only way to change anything: the public API, with the agent's own token,
// so every action fires the same triggers as any other client (source `user`).
import type { z as zc } from 'zod';
import type { ContactPatchBody, MergeContactsBody, TagsBody } from '../../../lib/contracts/contacts';
import type { AssignBody, CloseConversationBody, ConversationQuery, MessageBody, OpenConversationBody, TakeOverBody } from '../../../lib/contracts/conversations';
import type { ErrorDetail } from '../../../lib/contracts/errors';
import type { MessagePageQuery } from '../../../lib/contracts/conversation-messages';
import type { InboxSessionBody } from '../../../lib/contracts/inbox-session';
import type { WhatsAppTemplateRef } from '../../../lib/contracts/whatsapp-template-ref';
import { INBOX_CSRF_HEADER, INBOX_SESSION_HINT_COOKIE } from '../../../lib/contracts/inbox-session-names';
import type * as z from 'zod/mini';
import {
  ClosingCategories, Contact, ContactList, ConversationDetail, ConversationList, ConversationRef, ConversationSeen, ErrorBody, FieldList, LifecycleStages, Me, MergeResult, Message, MessagePage, Nothing, TakeOverResult, TeammateList, WhatsAppTemplateList,
} from './wire.js';

const TOKEN_KEY = 'inboxCompanion.token';

export const token = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (value: string) => localStorage.setItem(TOKEN_KEY, value),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: ErrorDetail[] = []) {
    super(message);
  }
}

/** Called when the server refuses the token (revoked, unknown): the app signs out. */
let onUnauthorized: (message: string) => void = () => {};
export const setUnauthorizedHandler = (fn: (message: string) => void) => { onUnauthorized = fn; };

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Signed in with a pasted token (kept in localStorage, sent as a bearer) or through the
 * extension's "Open inbox" (an HttpOnly cookie the page cannot read; the browser sends it).
 */
export const session = {
  usesCookie: false,
  /** The login cookie itself is HttpOnly; its readable companion says one was set. */
  mayHaveCookie: () => document.cookie.split(';').some((c) => c.trim() === `${INBOX_SESSION_HINT_COOKIE}=1`),
};

/** One call; `reader` checks what came back (null for 204). */
export async function api<T>(reader: z.ZodMiniType<T>, method: Method, path: string, body?: unknown, bearer = token.get(), extraHeaders: Record<string, string> = {}): Promise<T> {
  // The header proves a cookie-signed write comes from this page (the server refuses one without).
  const headers: Record<string, string> = { accept: 'application/json', [INBOX_CSRF_HEADER]: '1', ...extraHeaders };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection.');
  }
  const data: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = ErrorBody.safeParse(data).data?.error;
    const message = err?.message ?? `The server answered ${res.status}`;
    if (res.status === 401 && bearer === token.get() && (bearer || session.usesCookie)) onUnauthorized(message);
    throw new ApiError(res.status, err?.code ?? 'error', message, err?.details ?? []);
  }
  const parsed = reader.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(res.status, 'unexpected_response',
      `The server sent an answer this page does not understand (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'}). Reload the page; if it persists, the server and page versions differ.`);
  }
  return parsed.data;
}

const enc = encodeURIComponent;
/** Messages a "Load older messages" brings: as many as the conversation's read carries. */
const OLDER_PAGE = 50;
type In<T extends zc.ZodType> = zc.input<T>;

export const Api = {
  me: (bearer?: string | null) => api(Me, 'GET', '/me', undefined, bearer),
  /** The one-time code from the extension's "Open inbox", traded for the login cookie. */
  signInWithCode: (code: string) => api(Me, 'POST', '/auth/inbox-session', { code } satisfies In<typeof InboxSessionBody>, null),
  signOutCookie: () => api(Nothing, 'DELETE', '/auth/inbox-session', undefined, null),
  teammates: () => api(TeammateList, 'GET', '/teammates'),
  /** A page of a tab, newest activity first; `cursor`: the `nextCursor` of the page before; `q`: the search box; `assigneeId`: me, none or a user; `contactId`: only that contact's. */
  conversations: ({ status, assigneeId, q, cursor, limit, unread, channel, contactId }: { status: 'open' | 'closed'; assigneeId?: string | undefined; q?: string; cursor?: string | null; limit: number; unread?: boolean; channel?: string; contactId?: string }) =>
    api(ConversationList, 'GET', `/conversations?${new URLSearchParams({
      status, limit: String(limit), ...(assigneeId ? { assigneeId } : {}), ...(q ? { q } : {}), ...(cursor ? { cursor } : {}),
      ...(unread ? { unread: 'true' } : {}), ...(channel ? { channel } : {}), ...(contactId ? { contactId } : {}),
    } satisfies Partial<Record<keyof In<typeof ConversationQuery>, string>>)}`),
  conversationsOf: (contactId: string, status: 'open' | 'closed') => api(ConversationList, 'GET', `/conversations?status=${enc(status)}&contactId=${enc(contactId)}`),
  /**
   * Its latest messages (older ones: `messages`); `history`: with the contact's earlier conversations,
   * so an agent sees what was said before a reopen (asked for only while they show: thread-pages.ts).
   */
  conversation: (id: string, history: boolean) => api(ConversationDetail, 'GET', `/conversations/${enc(id)}${history ? '?history=true' : ''}`),
  /** The page of a conversation's messages before `cursor` (an `olderMessagesCursor` or a page's `nextCursor`). */
  messages: (id: string, cursor: string) => api(MessagePage, 'GET', `/conversations/${enc(id)}/messages?${new URLSearchParams({
    cursor, limit: String(OLDER_PAGE),
  } satisfies Partial<Record<keyof In<typeof MessagePageQuery>, string>>)}`),
  open: (contactId: string) => api(ConversationRef, 'POST', '/conversations', { contactId } satisfies In<typeof OpenConversationBody>),
  /** The agent has looked at it: its unread count for them is 0 (their other tabs hear conversation.seen). */
  seen: (id: string) => api(ConversationSeen, 'POST', `/conversations/${enc(id)}/seen`),
  close: (id: string, body: In<typeof CloseConversationBody>) => api(ConversationRef, 'POST', `/conversations/${enc(id)}/close`, body),
  send: (id: string, text: string, kind: 'message' | 'comment') =>
    api(Message, 'POST', `/conversations/${enc(id)}/messages`, { text, kind, direction: 'outgoing' } satisfies In<typeof MessageBody>),
  /** An approved WhatsApp template (the reply once the 24-hour window has closed); `key`: one send however often it is posted. */
  sendTemplate: (id: string, template: In<typeof WhatsAppTemplateRef>, key: string) =>
    api(Message, 'POST', `/conversations/${enc(id)}/messages`, { template } satisfies In<typeof MessageBody>, token.get(), { 'idempotency-key': key }),
  /** The approved templates of the conversation's WhatsApp number, read from Meta. */
  templates: (id: string) => api(WhatsAppTemplateList, 'GET', `/conversations/${enc(id)}/whatsapp-templates`),
  /** Sends a failed reply again; `key`: a second click with it sends nothing. */
  resend: (id: string, messageId: string, key: string) =>
    api(Message, 'POST', `/conversations/${enc(id)}/messages/${enc(messageId)}/resend`, {}, token.get(), { 'idempotency-key': key }),
  /** Stops the workflow whose question waits on this customer (only `runId`, the one the agent was shown). */
  takeOver: (id: string, runId: string) => api(TakeOverResult, 'POST', `/conversations/${enc(id)}/awaiting-answer/take-over`, { runId } satisfies In<typeof TakeOverBody>),
  assign: (id: string, userId: string | null) => api(ConversationRef, 'POST', `/conversations/${enc(id)}/assign`, { userId } satisfies In<typeof AssignBody>),
  contact: (id: string) => api(Contact, 'GET', `/contacts/${enc(id)}`),
  patchContact: (id: string, patch: In<typeof ContactPatchBody>) => api(Contact, 'PATCH', `/contacts/${enc(id)}`, patch),
  addTags: (id: string, tags: string[]) => api(Contact, 'POST', `/contacts/${enc(id)}/tags`, { tags } satisfies In<typeof TagsBody>),
  removeTag: (id: string, tag: string) => api(Contact, 'DELETE', `/contacts/${enc(id)}/tags/${enc(tag)}`),
  fields: () => api(FieldList, 'GET', '/fields'),
  lifecycleStages: () => api(LifecycleStages, 'GET', '/settings/lifecycle-stages'),
  searchContacts: (q: string) => api(ContactList, 'GET', `/contacts?q=${enc(q)}&limit=10`),
  merge: (id: string, mergeContactId: string) => api(MergeResult, 'POST', `/contacts/${enc(id)}/merge`, { mergeContactId } satisfies In<typeof MergeContactsBody>),
  categories: () => api(ClosingCategories, 'GET', '/settings/closing-categories'),
};
