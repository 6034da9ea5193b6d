import { describe, expect, it } from 'vitest';
import { joinLatest, nextLoad, refreshPages, startPages, withBefore, withPage, type Run } from '../../server/inbox/src/thread-pages';
import type { ConversationDetail, EarlierConversation, Message } from '../../server/inbox/src/wire';

// What the inbox holds of a long thread as pages come and live refreshes land (the whole of it in
// a browser: test/e2e/inbox-long-thread.test.ts).

const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
const msg = (n: number, time = n): Message => ({
  id: `msg_${String(n).padStart(4, '0')}`, conversationId: 'cnv_1', direction: 'incoming', kind: 'message', author: { type: 'contact', id: null }, text: `m${n}`, createdAt: at(time),
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));
const texts = (run: Run) => run.messages.map((m) => m.text);
const earlier = (id: string, messages: Message[], cursor: string | null = null): EarlierConversation => ({
  id, status: 'closed', category: null, summary: null, closeReason: null, openedAt: at(0), closedAt: at(1), messages, olderMessagesCursor: cursor,
});
const detail = (messages: Message[], cursor: string | null, history?: ConversationDetail['history']): ConversationDetail => ({
  id: 'cnv_1', contactId: 'con_1', status: 'open', category: null, summary: null, assigneeId: null, openedAt: at(0), closedAt: null,
  firstIncomingMessage: null, firstResponseAt: null, contact: { id: 'con_1', firstName: 'Lena', lastName: '', phone: null, email: null, tags: [], fields: {} },
  messages, olderMessagesCursor: cursor, ...(history ? { history } : {}),
});

describe('joinLatest (a live refresh over the older pages shown)', () => {
  const shown: Run = { messages: range(1, 10), olderCursor: 'c0' };

  it.each([
    ['new messages after the shown ones', { messages: range(6, 12), olderCursor: 'c6' }, range(1, 12).map((m) => m.text)],
    ['nothing new', { messages: range(6, 10), olderCursor: 'c6' }, range(1, 10).map((m) => m.text)],
    // More arrived than a page holds: what lies between is not known, so the older pages go.
    ['a gap', { messages: range(20, 25), olderCursor: 'c20' }, range(20, 25).map((m) => m.text)],
    ['the whole thread (no cursor)', { messages: range(1, 3), olderCursor: null }, ['m1', 'm2', 'm3']],
  ] as const)('%s', (_what, latest, expected) => {
    expect(texts(joinLatest(shown, { messages: [...latest.messages], olderCursor: latest.olderCursor }))).toEqual(expected);
  });

  it('moves a replaced activity line (same id, later time) to its new place, once', () => {
    const moved = { ...msg(7, 30), kind: 'activity' as const, text: 'line again' };
    const joined = joinLatest(shown, { messages: [msg(6), msg(8), msg(9), msg(10), moved], olderCursor: 'c6' });
    expect(texts(joined)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm8', 'm9', 'm10', 'line again']);
    expect(joined.olderCursor).toBe('c0');
  });
});

describe('reading back', () => {
  it('pages the conversation, then its earlier conversations, then what came before them', () => {
    let pages = startPages(detail(range(51, 100), 'c51', { conversations: [earlier('cnv_b', range(201, 210), 'cb')], truncated: true }));
    expect(nextLoad(pages)).toEqual({ kind: 'page', conversationId: 'cnv_1', cursor: 'c51' });
    pages = withPage(pages, 'cnv_1', { messages: [...range(1, 50), msg(51)], nextCursor: null });
    expect(texts(pages.current)).toEqual(range(1, 100).map((m) => m.text));
    expect(nextLoad(pages)).toEqual({ kind: 'page', conversationId: 'cnv_b', cursor: 'cb' });
    pages = withPage(pages, 'cnv_b', { messages: range(200, 200), nextCursor: null });
    expect(nextLoad(pages)).toEqual({ kind: 'before', conversationId: 'cnv_b' });
    const before = detail([], null, { conversations: [earlier('cnv_a', range(300, 301))], truncated: false });
    pages = withBefore(pages, before);
    expect(pages.earlier!.map((c) => [c.id, texts(c)])).toEqual([['cnv_a', ['m300', 'm301']], ['cnv_b', range(200, 210).map((m) => m.text)]]);
    expect(nextLoad(pages)).toBeNull();
  });

  it('keeps the earlier conversations read further back when the history is read again', () => {
    let pages = startPages(detail(range(1, 5), null, { conversations: [earlier('cnv_b', range(201, 202))], truncated: true }));
    pages = withBefore(pages, detail([], null, { conversations: [{ ...earlier('cnv_a', range(300, 300)), openedAt: at(-5) }], truncated: false }));
    pages = refreshPages(pages, detail(range(1, 6), null, { conversations: [earlier('cnv_b', range(201, 203))], truncated: true }));
    expect(pages.earlier!.map((c) => [c.id, texts(c)])).toEqual([['cnv_a', ['m300']], ['cnv_b', ['m201', 'm202', 'm203']]]);
    expect([texts(pages.current).length, pages.moreEarlier, nextLoad(pages)]).toEqual([6, false, null]);
  });
});
