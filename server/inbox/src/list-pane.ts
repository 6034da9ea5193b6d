import { Api } from './api.js';
import { $, debounce } from './dom.js';
import { renderList } from './list.js';
import { markSelected } from './tablist.js';
import type { ConversationListItem } from './wire.js';

// The left pane: the Open/Closed tabs, Chatwoot's Mine/Unassigned/All views within them, the
// search (names, phones, emails and messages' text), the Unread and channel filters, the rows and
// "Load more". The counts on the tabs are the server's, with the filters, so they stay right while
// only the first pages are loaded. The search and filters live in the page's URL (?q=&unread=1&channel=):
// a reload or a shared link keeps them, as Chatwoot's filtered views do. Under Unread the
// conversation the agent opened stays listed, read, until they open another one or change the
// search or filters (Gmail's, Slack's and Chatwoot's unread views): it left at the server's next
// answer, the list jumping under the pointer and the agent's place in it lost.

export type Tab = 'open' | 'closed';
/** Chatwoot's Mine / Unassigned / All, within the tab. */
type View = 'mine' | 'unassigned' | 'all';
const VIEWS: View[] = ['mine', 'unassigned', 'all'];
const ASSIGNEE: Record<View, string | undefined> = { mine: 'me', unassigned: 'none', all: undefined };
const VIEW_KEY = 'inboxCompanion.view';
const TAB_NAMES: Record<Tab | View, string> = { open: 'Open', closed: 'Closed', mine: 'Mine', unassigned: 'Unassigned', all: 'All' };
const EMPTY: Record<View, string> = { mine: 'No conversations assigned to you here.', unassigned: 'No unassigned conversations here.', all: 'No conversations here.' };
/** Rows "Load more" adds, and the first page. */
const PAGE = 50;
/** The channel filter's values (lib/contracts LIST_CHANNELS; the page keeps zod's contracts out). */
const CHANNELS = ['whatsapp', 'messenger', 'inbox', 'chatwoot'];
/** The API's largest page: refreshing more rows than that takes several. */
const MAX_PAGE = 200;

export interface ListPaneOptions {
  /** The conversation shown (its row is marked). */
  currentId: () => string | null;
  onSelect: (id: string) => void;
  userName: (id: string | null) => string;
  showError: (err: unknown, about?: string | null) => void;
}

export interface ListPane {
  readonly tab: Tab;
  /** The rows loaded so far, newest activity first (a contact's edit is written into theirs). */
  readonly rows: ConversationListItem[];
  /** The agent opened a conversation: its row's unread count is 0 until the server's next answer says otherwise; under Unread it stays listed. */
  seen(id: string): void;
  draw(): void;
  refresh(): Promise<void>;
  setTab(tab: Tab): void;
  /** Back or Forward: the search and filters become the address's again. */
  followUrl(): void;
}

/** The search and filters an address holds (?q=&unread=1&channel=); a channel this page does not know is dropped. */
function filtersIn(search: string) {
  const url = new URLSearchParams(search);
  return {
    unread: url.get('unread') === '1',
    channel: CHANNELS.find((c) => c === url.get('channel')) ?? '',
    query: (url.get('q') ?? '').trim().slice(0, 100),
  };
}

export function createListPane({ currentId, onSelect, userName, showError }: ListPaneOptions): ListPane {
  const savedView = localStorage.getItem(VIEW_KEY);
  const fromUrl = filtersIn(location.search);
  const state = {
    /** Only conversations with messages this agent has not seen. */
    unread: fromUrl.unread,
    /** Only one channel's ('' every channel). */
    channel: fromUrl.channel,
    tab: 'open' as Tab,
    /** Whose conversations the list shows; the agent's last choice is kept. */
    view: (VIEWS.find((v) => v === savedView) ?? 'all') as View,
    /** The search box (contact name, phone or email), trimmed; '' lists the whole tab. */
    query: fromUrl.query,
    /** The rows loaded so far (the first page, then each "Load more"), newest activity first. */
    conversations: [] as ConversationListItem[],
    /** Where the next page starts (null: every row is loaded). */
    nextCursor: null as string | null,
    /** Rows the tab has, with the search applied. */
    total: 0,
    /** `total` is a floor: a common word's search counts only the first matches (shown "N+"). */
    totalIsLowerBound: false,
    /** The first page of this tab and search came (until then the list is not said to be empty). */
    loaded: false,
    /** Conversations in each tab (of the view), without the search; the closed tab's is counted only while it is shown. */
    counts: { open: null, closed: null } as Record<Tab, number | null>,
    /** Conversations in each view (of the tab), without the search. */
    viewCounts: { mine: null, unassigned: null, all: null } as Record<View, number | null>,
  };

  const filtered = () => state.unread || !!state.channel;
  const filters = () => ({ unread: state.unread, channel: state.channel });
  /**
   * Under Unread, the row of the conversation the agent opened, read since (the server no longer
   * lists it). Not counted: the counts stay the server's. Another conversation opened, or another
   * search, filter, tab or view, and it goes.
   */
  let stay: ConversationListItem | null = null;
  /** The rows drawn: the server's, and the row kept under Unread in its place by activity. */
  function shownRows(): ConversationListItem[] {
    const rows = state.conversations;
    const kept = state.unread ? stay : null;
    if (!kept || rows.some((c) => c.id === kept.id)) return rows;
    const at = rows.findIndex((c) => c.lastActivityAt < kept.lastActivityAt);
    return at < 0 ? [...rows, kept] : [...rows.slice(0, at), kept, ...rows.slice(at)];
  }
  /** The kept row as it is now, read with the list's search and filters but Unread (null: they no longer take it, e.g. it was closed). */
  const keptRow = (row: ConversationListItem, status: Tab, v: View, q: string) =>
    Api.conversations({ status, assigneeId: ASSIGNEE[v], q, channel: state.channel, contactId: row.contactId, limit: MAX_PAGE })
      .then((page) => page.conversations.find((c) => c.id === row.id) ?? null);
  const listEl = $('[data-testid="conversation-list"]');
  const loadMoreButton = $<HTMLButtonElement>('[data-testid="load-more"]');
  function drawList() {
    const rows = shownRows();
    renderList(listEl, rows, {
      currentId: currentId(), onSelect: (id) => onSelect(id), userName, query: state.query,
    });
    const empty = $('[data-testid="conversation-list-empty"]');
    const nothing = state.loaded && rows.length === 0;
    empty.hidden = !nothing;
    // A search under Unread or a channel says so: "no match" alone sent agents looking for a typo.
    const what = state.query ? ` “${state.query}”${filtered() ? ' with these filters' : ''}` : ' these filters';
    empty.textContent = state.query || filtered() ? `No conversations match${what}.` : EMPTY[state.view];
    // The summary is the list's live region, there while a search or filter is: a search that finds
    // nothing is said aloud too (the empty line, shown, was never announced), visually once.
    const summary = $('[data-testid="list-summary"]');
    const total = `${state.total}${state.totalIsLowerBound ? '+' : ''}`;
    const counted = !!state.query && rows.length > 0;
    summary.hidden = !state.query && !filtered();
    summary.classList.toggle('visually-hidden', !counted);
    summary.textContent = counted ? `${total} ${state.total === 1 && !state.totalIsLowerBound ? 'conversation matches' : 'conversations match'}${what}`
      : nothing && !summary.hidden ? empty.textContent : '';
    unreadButton.setAttribute('aria-pressed', String(state.unread));
    channelSelect.value = state.channel;
    loadMoreButton.hidden = !state.nextCursor;
    loadMoreButton.textContent = `Load more (${state.conversations.length} of ${total} shown)`;
    for (const tab of document.querySelectorAll<HTMLElement>('.tab')) {
      const name = tab.dataset.tab === 'open' || tab.dataset.tab === 'closed' ? tab.dataset.tab : VIEWS.find((v) => v === tab.dataset.view);
      if (!name) continue;
      const isView = name !== 'open' && name !== 'closed';
      const active = name === (isView ? state.view : state.tab);
      markSelected(tab, active);
      tab.classList.toggle('active', active);
      const count = isView ? state.viewCounts[name] : state.counts[name];
      tab.textContent = count === null ? TAB_NAMES[name] : `${TAB_NAMES[name]} (${count})`;
    }
  }

  // The list's calls take turns, so a refresh after a "Load more" knows how many rows to fetch
  // again. The tab or the search changing starts a new generation: what an older call answers is dropped.
  let listTurn: Promise<void> = Promise.resolve();
  let generation = 0;
  function inTurn(fn: (generation: number) => Promise<void>): Promise<void> {
    listTurn = listTurn.then(async () => {
      const current = generation;
      try {
        await fn(current);
      } catch (err) {
        if (current === generation) showError(err, null);
      }
    });
    return listTurn;
  }

  /**
   * The rows shown, fetched again from the top (at least a page): a live change moves its row to
   * the top (its activity is newest), a close takes it out of the Open tab, a new one comes in.
   * The counts are the server's (a count, not the rows loaded).
   */
  let refreshWaiting = false;
  /**
   * The next refresh counts the tabs and views again. The search leaves them as they are (they are
   * counted without it): a search asked for them again, four requests per keystroke for an agent
   * typing slower than the debounce (24 for "refund"), one now.
   */
  let countsWanted = true;
  function refreshList({ keepCounts = false } = {}): Promise<void> {
    if (!keepCounts) countsWanted = true;
    // Live changes in a burst: one refresh waiting for its turn does for all of them.
    if (refreshWaiting) return listTurn;
    refreshWaiting = true;
    return inTurn(async (current) => {
      refreshWaiting = false;
      const withCounts = countsWanted || Object.values(state.viewCounts).some((n) => n === null);
      countsWanted = false;
      const { tab, query, view: shown } = state;
      const want = Math.max(PAGE, state.conversations.length);
      const whole = (status: Tab, v: View) => Api.conversations({ status, assigneeId: ASSIGNEE[v], limit: 1, ...filters() }).then((page) => page.total);
      const keep = state.unread ? stay : null;
      // The shown view's count comes with its rows (unless searching); each other view's is a count of its own.
      const [list, kept, openCount, ...viewCounts] = await Promise.all([
        fetchRows(tab, shown, query, want, filters()),
        keep ? keptRow(keep, tab, shown, query) : null,
        withCounts && tab !== 'open' ? whole('open', shown) : null,
        ...VIEWS.map((v) => (!withCounts || (v === shown && !query) ? null : whole(tab, v))),
      ]);
      if (current !== generation) {
        if (withCounts) countsWanted = true;
        return;
      }
      state.conversations = list.rows;
      // The kept row as the server has it now (listed again if a new message came meanwhile). The
      // conversation shown but not kept (a reload onto it, an address) is kept once it is listed.
      const open = currentId();
      if (keep && stay?.id === keep.id) stay = list.rows.find((c) => c.id === keep.id) ?? kept;
      else if (state.unread && !stay && open) stay = list.rows.find((c) => c.id === open) ?? null;
      state.nextCursor = list.nextCursor;
      state.total = list.total;
      state.totalIsLowerBound = list.totalIsLowerBound;
      const viewCount = (i: number, v: View) => viewCounts[i] ?? (v === shown && !query ? list.total : state.viewCounts[v]);
      state.viewCounts = { mine: viewCount(0, 'mine'), unassigned: viewCount(1, 'unassigned'), all: viewCount(2, 'all') };
      const counts: Record<Tab, number | null> = { open: null, closed: null };
      counts[tab] = state.viewCounts[shown];
      if (tab !== 'open') counts.open = openCount ?? state.counts.open;
      state.counts = counts;
      state.loaded = true;
      drawList();
    });
  }

  /** The next page after the rows shown. */
  function loadMore(): Promise<void> {
    loadMoreButton.disabled = true;
    return inTurn(async (current) => {
      const cursor = state.nextCursor;
      if (!cursor) return;
      const page = await Api.conversations({ status: state.tab, assigneeId: ASSIGNEE[state.view], q: state.query, cursor, limit: PAGE, ...filters() });
      if (current !== generation) return;
      // A row that moved up meanwhile is already shown (or comes with the next refresh): never twice.
      const shown = new Set(state.conversations.map((c) => c.id));
      state.conversations.push(...page.conversations.filter((c) => !shown.has(c.id)));
      state.nextCursor = page.nextCursor;
      state.total = page.total;
      state.totalIsLowerBound = !!page.totalIsLowerBound;
      if (!state.query) state.counts[state.tab] = state.viewCounts[state.view] = page.total;
      drawList();
    }).finally(() => { loadMoreButton.disabled = false; });
  }
  loadMoreButton.addEventListener('click', () => void loadMore());

  /** Another tab, search or filter: the list starts again from its first page (`keepCounts`: only the search changed). */
  function resetList(keepCounts = false) {
    generation++;
    stay = null;
    const params = new URLSearchParams(location.search);
    for (const [key, value] of [['q', state.query], ['unread', state.unread ? '1' : ''], ['channel', state.channel]] as const) {
      if (value) params.set(key, value); else params.delete(key);
    }
    const search = params.size ? `?${params}` : '';
    if (search !== location.search) history.replaceState(history.state, '', location.pathname + search);
    state.conversations = [];
    state.nextCursor = null;
    state.total = 0;
    state.totalIsLowerBound = false;
    state.loaded = false;
    drawList();
    void refreshList({ keepCounts });
  }

  const searchInput = $<HTMLInputElement>('[data-testid="conversation-search"]');
  searchInput.value = state.query;
  const unreadButton = $<HTMLButtonElement>('[data-testid="filter-unread"]');
  const channelSelect = $<HTMLSelectElement>('[data-testid="filter-channel"]');
  unreadButton.addEventListener('click', () => { state.unread = !state.unread; resetList(); });
  channelSelect.addEventListener('change', () => { state.channel = channelSelect.value; resetList(); });
  function search() {
    const query = searchInput.value.trim();
    if (query === state.query) return;
    state.query = query;
    resetList(true);
  }
  const searchSoon = debounce(search, 250);
  searchInput.addEventListener('input', searchSoon);
  $<HTMLFormElement>('[data-testid="conversation-search-form"]').addEventListener('submit', (event) => { event.preventDefault(); search(); });

  // Back and Forward: each address has its own search and filters (resetList replaces the entry's
  // as they change); the list showed the last ones whatever the address said, until a reload.
  function followUrl() {
    const next = filtersIn(location.search);
    if (next.query === state.query && next.unread === state.unread && next.channel === state.channel) return;
    const onlySearch = next.unread === state.unread && next.channel === state.channel;
    Object.assign(state, next);
    searchInput.value = state.query;
    resetList(onlySearch);
  }

  function setTab(tab: Tab) {
    if (state.tab === tab) return;
    state.tab = tab;
    resetList();
  }

  function setView(next: View) {
    if (state.view === next) return;
    state.view = next;
    localStorage.setItem(VIEW_KEY, next);
    resetList();
  }

  for (const tab of document.querySelectorAll<HTMLElement>('.tab')) {
    tab.addEventListener('click', () => {
      if (tab.dataset.tab === 'open' || tab.dataset.tab === 'closed') setTab(tab.dataset.tab);
      const next = VIEWS.find((v) => v === tab.dataset.view);
      if (next) setView(next);
    });
  }

  return {
    get tab() { return state.tab; },
    get rows() { return shownRows(); },
    seen(id) {
      // Another conversation opened: the one kept goes (at the draw that follows), this one stays.
      if (stay?.id !== id) stay = state.unread ? state.conversations.find((c) => c.id === id) ?? null : null;
      const row = shownRows().find((c) => c.id === id);
      if (!row?.unread) return;
      row.unread = 0;
      drawList();
    },
    draw: drawList,
    refresh: () => refreshList(),
    setTab,
    followUrl,
  };
}

/** The first `want` rows of a tab's view, in pages of at most MAX_PAGE. */
async function fetchRows(status: Tab, v: View, q: string, want: number, filters: { unread: boolean; channel: string }) {
  const rows: ConversationListItem[] = [];
  let cursor: string | null = null;
  let total = 0;
  let totalIsLowerBound = false;
  do {
    const page = await Api.conversations({ status, assigneeId: ASSIGNEE[v], q, cursor, limit: Math.min(MAX_PAGE, want - rows.length), ...filters });
    if (rows.length === 0) ({ total, totalIsLowerBound = false } = page);
    rows.push(...page.conversations);
    cursor = page.nextCursor;
  } while (cursor && rows.length < want);
  return { rows, nextCursor: cursor, total, totalIsLowerBound };
}
