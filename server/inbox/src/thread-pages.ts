import type { ConversationDetail, EarlierConversation, Message } from './wire.js';

// What of a long thread the page holds. The conversation read carries only its latest messages
// (the API's DETAIL_MESSAGES) and a cursor; older ones come a page at a time as the agent scrolls
// up (Chatwoot's "before"), and only then the contact's earlier conversations above them, read on
// back a conversation at a time. Pure: conversation.ts fetches, thread.ts draws.

/** Part of a thread: its messages oldest first, and the cursor of the page before them (null: its start). */
export interface Run { messages: Message[]; olderCursor: string | null }
export type EarlierRun = Omit<EarlierConversation, 'messages' | 'olderMessagesCursor'> & Run;

export interface ThreadPages {
  conversationId: string;
  current: Run;
  /** The contact's conversations before this one, oldest first, as far back as read; null: not read yet. */
  earlier: EarlierRun[] | null;
  /** The server left out conversations before `earlier[0]` (its history was truncated). */
  moreEarlier: boolean;
}

/** What "Load older messages" reads next. */
export type NextLoad =
  | { kind: 'page'; conversationId: string; cursor: string }
  | { kind: 'history' }
  | { kind: 'before'; conversationId: string };

const earlierRun = ({ messages, olderMessagesCursor, ...c }: EarlierConversation): EarlierRun => ({ ...c, messages, olderCursor: olderMessagesCursor ?? null });
/** Where a message sits in the thread (the server's order: threadAt, else createdAt). */
const placeOf = (m: Message) => m.threadAt ?? m.createdAt;
const runOf = (d: ConversationDetail): Run => ({ messages: d.messages, olderCursor: d.olderMessagesCursor ?? null });

export function startPages(d: ConversationDetail): ThreadPages {
  return { conversationId: d.id, current: runOf(d), earlier: d.history ? d.history.conversations.map(earlierRun) : null, moreEarlier: d.history?.truncated ?? false };
}

/**
 * The latest messages read again (a live refresh) joined to the older pages already shown. They
 * join where the latest page's oldest message (same id and time) is among the shown ones; when
 * it is not, more arrived than a page holds since the last read, and the page starts over from
 * the latest messages rather than show a gap. A replaced activity line (same id, later time) or
 * a resent reply (same id, threadAt now) leaves its old place for its new one.
 */
export function joinLatest(run: Run, latest: Run): Run {
  const first = latest.messages[0];
  if (!latest.olderCursor || !first) return latest;
  const at = run.messages.findIndex((m) => m.id === first.id && placeOf(m) === placeOf(first));
  if (at < 0) return latest;
  const ids = new Set(latest.messages.map((m) => m.id));
  return { messages: [...run.messages.slice(0, at).filter((m) => !ids.has(m.id)), ...latest.messages], olderCursor: run.olderCursor };
}

/** A page older than `run` read: above it, without what is already shown. */
export function prependPage(run: Run, page: { messages: Message[]; nextCursor: string | null }): Run {
  const ids = new Set(run.messages.map((m) => m.id));
  return { messages: [...page.messages.filter((m) => !ids.has(m.id)), ...run.messages], olderCursor: page.nextCursor };
}

/**
 * The history read again: its conversations (the latest ones) replace theirs, each joined to the
 * older pages read of it; conversations read before them (further back) stay.
 */
function joinHistory(old: EarlierRun[] | null, fresh: EarlierRun[]): EarlierRun[] {
  if (!old || !fresh[0]) return fresh;
  const byId = new Map(old.map((c) => [c.id, c]));
  const startsAt = fresh[0];
  const further = old.filter((c) => !fresh.some((f) => f.id === c.id) && (c.openedAt < startsAt.openedAt || (c.openedAt === startsAt.openedAt && c.id < startsAt.id)));
  return [...further, ...fresh.map((c) => { const was = byId.get(c.id); return was ? { ...c, ...joinLatest(was, c) } : c; })];
}

/** The conversation read again (live, or after a change made here). */
export function refreshPages(pages: ThreadPages, d: ConversationDetail): ThreadPages {
  if (pages.conversationId !== d.id) return startPages(d);
  const current = joinLatest(pages.current, runOf(d));
  if (!d.history) return { ...pages, current };
  const fresh = d.history.conversations.map(earlierRun);
  const earlier = joinHistory(pages.earlier, fresh);
  // Still reaching further back than the fresh history: whether more lies beyond is what was known there.
  const keptFurther = earlier.length > 0 && fresh[0] !== undefined && earlier[0]!.id !== fresh[0].id;
  return { ...pages, current, earlier, moreEarlier: keptFurther ? pages.moreEarlier : d.history.truncated };
}

/** A page of the current conversation, or of the oldest earlier one shown, read: above it. */
export function withPage(pages: ThreadPages, conversationId: string, page: { messages: Message[]; nextCursor: string | null }): ThreadPages {
  if (conversationId === pages.conversationId) return { ...pages, current: prependPage(pages.current, page) };
  return { ...pages, earlier: pages.earlier?.map((c) => (c.id === conversationId ? { ...c, ...prependPage(c, page) } : c)) ?? null };
}

/** What came before the oldest earlier conversation shown (its own history) read: above it. */
export function withBefore(pages: ThreadPages, before: ConversationDetail): ThreadPages {
  const shown = new Set(pages.earlier?.map((c) => c.id));
  const older = (before.history?.conversations ?? []).filter((c) => !shown.has(c.id)).map(earlierRun);
  return { ...pages, earlier: [...older, ...(pages.earlier ?? [])], moreEarlier: before.history?.truncated ?? false };
}

/** Whether the earlier conversations show: once this conversation's first message is on the page. */
export const showsEarlier = (pages: ThreadPages): boolean => pages.current.olderCursor === null;

export function nextLoad(pages: ThreadPages): NextLoad | null {
  if (pages.current.olderCursor) return { kind: 'page', conversationId: pages.conversationId, cursor: pages.current.olderCursor };
  if (!pages.earlier) return { kind: 'history' };
  const oldest = pages.earlier[0];
  if (oldest?.olderCursor) return { kind: 'page', conversationId: oldest.id, cursor: oldest.olderCursor };
  if (oldest && pages.moreEarlier) return { kind: 'before', conversationId: oldest.id };
  return null;
}

/**
 * The message a reply or Resend gave back, shown at once: in its place when already shown, at the
 * end when it moved there (a Resend: the copy goes out now, after what was said since).
 */
export function withMessage(pages: ThreadPages, message: Message): ThreadPages {
  const { messages } = pages.current;
  const at = messages.findIndex((m) => m.id === message.id);
  const moved = at >= 0 && placeOf(messages[at]!) !== placeOf(message);
  const next = at < 0 || moved ? [...messages.filter((m) => m.id !== message.id), message] : messages.map((m) => (m.id === message.id ? message : m));
  return { ...pages, current: { ...pages.current, messages: next } };
}
