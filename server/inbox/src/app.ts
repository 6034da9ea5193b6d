import { Api, ApiError, session, setUnauthorizedHandler, token } from './api.js';
import { createContactPanel } from './contact.js';
import { createConversationView } from './conversation.js';
import { $, contactName, debounce } from './dom.js';
import { renderList } from './list.js';
import { connectLive, type LiveMode } from './live.js';
import { watchShortcutsHint } from './shortcuts-hint.js';
import { markSelected, wireTablist } from './tablist.js';
import { wireBackLink } from './back-link.js';
import type { ConversationListItem, LiveMessage, Me, Teammate } from './wire.js';

type Tab = 'open' | 'closed';
/** Chatwoot's Mine / Unassigned / All, within the tab. */
type View = 'mine' | 'unassigned' | 'all';
const VIEWS: View[] = ['mine', 'unassigned', 'all'];
const ASSIGNEE: Record<View, string | undefined> = { mine: 'me', unassigned: 'none', all: undefined };
const VIEW_KEY = 'inboxCompanion.view';
const savedView = localStorage.getItem(VIEW_KEY);

const state = {
  me: null as Me | null,
  tab: 'open' as Tab,
  /** Whose conversations the list shows; the agent's last choice is kept. */
  view: (VIEWS.find((v) => v === savedView) ?? 'all') as View,
  /** The search box (contact name, phone or email), trimmed; '' lists the whole tab. */
  query: '',
  /** The rows loaded so far (the first page, then each "Load more"), newest activity first. */
  conversations: [] as ConversationListItem[],
  /** Where the next page starts (null: every row is loaded). */
  nextCursor: null as string | null,
  /** Rows the tab has, with the search applied. */
  total: 0,
  /** The first page of this tab and search came (until then the list is not said to be empty). */
  loaded: false,
  /** Conversations in each tab (of the view), without the search; the closed tab's is counted only while it is shown. */
  counts: { open: null, closed: null } as Record<Tab, number | null>,
  /** Conversations in each view (of the tab), without the search. */
  viewCounts: { mine: null, unassigned: null, all: null } as Record<View, number | null>,
  unread: new Set<string>(),
  users: new Map<string, Teammate>(),
  stopLive: null as (() => void) | null,
  stopShortcutsHint: null as (() => void) | null,
};

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

// ---- error banner -------------------------------------------------------------------------
// An error belongs to the conversation it was about (or to the list: null): going to another
// conversation, or back to the list, takes it down, so it is never read as being about the new one.
const banner = $('[data-testid="error-banner"]');
let bannerTimer: ReturnType<typeof setTimeout> | undefined;
let bannerOwner: string | null = null;
function hideBanner() {
  banner.hidden = true;
  clearTimeout(bannerTimer);
}
/** `about`: the conversation the failed call was about (default: the one shown). */
function showError(err: unknown, about: string | null = view.currentId) {
  let text = err instanceof ApiError ? err.message : String((err as { message?: unknown } | null)?.message ?? err);
  const first = err instanceof ApiError ? err.details[0] : undefined;
  if (first && !text.includes(first.message)) text += ` (${first.message})`;
  // A call about a conversation the agent has left since (a send that failed late): say which one.
  if (about && about !== view.currentId) {
    const row = state.conversations.find((c) => c.id === about);
    text = `${row ? contactName(row.contact) : 'Another conversation'}: ${text}`;
  }
  $('.banner-text', banner).textContent = text;
  banner.dataset.conversationId = about ?? '';
  bannerOwner = about;
  banner.hidden = false;
  clearTimeout(bannerTimer);
  bannerTimer = setTimeout(() => { banner.hidden = true; }, 10000);
}
/** The page now shows `next` (null: no conversation): an error about something else goes. */
function leaveBannerFor(next: string | null) {
  if (!banner.hidden && bannerOwner !== next) hideBanner();
}
$('.banner-close', banner).addEventListener('click', hideBanner);

// ---- views --------------------------------------------------------------------------------
const userName = (id: string | null) => {
  if (!id) return 'Agent';
  if (id === state.me?.user.id) return 'You';
  return state.users.get(id)?.name ?? 'Agent';
};

const view = createConversationView({
  showError,
  afterChange: (id) => { void loadDetail(id); void refreshList(); },
  navigate,
  me: () => state.me,
  userName,
  teammates: () => state.users.values(),
});

const contactPanel = createContactPanel($('[data-testid="contact-panel"]'), {
  showError,
  canMerge: () => state.me?.permissions.superviseAgents === true,
  // The merged contact's conversations now belong to this one; its open one was closed.
  onMerged: () => refreshListSoon(),
  onContact: (contact) => {
    contactPanel.render(contact);
    view.setContact(contact);
    for (const c of state.conversations) if (c.contactId === contact.id) c.contact = contact;
    drawList();
  },
});

// Narrow windows show the contact panel as a drawer (inbox.css); Escape closes it.
const contactToggle = $<HTMLButtonElement>('[data-testid="contact-toggle"]');
function setContactOpen(open: boolean) {
  $('[data-testid="inbox"]').classList.toggle('contact-open', open);
  contactToggle.setAttribute('aria-expanded', String(open));
}
contactToggle.addEventListener('click', () => setContactOpen(contactToggle.getAttribute('aria-expanded') !== 'true'));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && contactToggle.getAttribute('aria-expanded') === 'true') { setContactOpen(false); contactToggle.focus(); }
});

const listEl = $('[data-testid="conversation-list"]');
const loadMoreButton = $<HTMLButtonElement>('[data-testid="load-more"]');
const TAB_NAMES: Record<Tab | View, string> = { open: 'Open', closed: 'Closed', mine: 'Mine', unassigned: 'Unassigned', all: 'All' };
const EMPTY: Record<View, string> = { mine: 'No conversations assigned to you here.', unassigned: 'No unassigned conversations here.', all: 'No conversations here.' };
function drawList() {
  renderList(listEl, state.conversations, {
    currentId: view.currentId, unread: state.unread, onSelect: (id) => navigate(id), userName,
  });
  const empty = $('[data-testid="conversation-list-empty"]');
  empty.hidden = state.conversations.length > 0 || !state.loaded;
  empty.textContent = state.query ? `No conversations match “${state.query}”.` : EMPTY[state.view];
  const summary = $('[data-testid="list-summary"]');
  summary.hidden = !state.query || state.conversations.length === 0;
  summary.textContent = `${state.total} ${state.total === 1 ? 'conversation matches' : 'conversations match'} “${state.query}”`;
  loadMoreButton.hidden = !state.nextCursor;
  loadMoreButton.textContent = `Load more (${state.conversations.length} of ${state.total} shown)`;
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

// ---- data ---------------------------------------------------------------------------------
/** Rows "Load more" adds, and the first page. */
const PAGE = 50;
/** The API's largest page: refreshing more rows than that takes several. */
const MAX_PAGE = 200;

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
function refreshList(): Promise<void> {
  // Live changes in a burst: one refresh waiting for its turn does for all of them.
  if (refreshWaiting) return listTurn;
  refreshWaiting = true;
  return inTurn(async (current) => {
    refreshWaiting = false;
    const { tab, query, view: shown } = state;
    const want = Math.max(PAGE, state.conversations.length);
    const whole = (status: Tab, v: View) => Api.conversations({ status, assigneeId: ASSIGNEE[v], limit: 1 }).then((page) => page.total);
    // The shown view's count comes with its rows (unless searching); each other view's is a count of its own.
    const [list, openCount, ...viewCounts] = await Promise.all([
      fetchRows(tab, shown, query, want),
      tab !== 'open' ? whole('open', shown) : null,
      ...VIEWS.map((v) => (v === shown && !query ? null : whole(tab, v))),
    ]);
    if (current !== generation) return;
    state.conversations = list.rows;
    state.nextCursor = list.nextCursor;
    state.total = list.total;
    state.viewCounts = { mine: viewCounts[0] ?? list.total, unassigned: viewCounts[1] ?? list.total, all: viewCounts[2] ?? list.total };
    const counts: Record<Tab, number | null> = { open: null, closed: null };
    counts[tab] = state.viewCounts[shown];
    if (openCount !== null) counts.open = openCount;
    state.counts = counts;
    state.loaded = true;
    drawList();
  });
}

/** The first `want` rows of a tab's view, in pages of at most MAX_PAGE. */
async function fetchRows(status: Tab, v: View, q: string, want: number) {
  const rows: ConversationListItem[] = [];
  let cursor: string | null = null;
  let total = 0;
  do {
    const page = await Api.conversations({ status, assigneeId: ASSIGNEE[v], q, cursor, limit: Math.min(MAX_PAGE, want - rows.length) });
    if (rows.length === 0) total = page.total;
    rows.push(...page.conversations);
    cursor = page.nextCursor;
  } while (cursor && rows.length < want);
  return { rows, nextCursor: cursor, total };
}

/** The next page after the rows shown. */
function loadMore(): Promise<void> {
  loadMoreButton.disabled = true;
  return inTurn(async (current) => {
    const cursor = state.nextCursor;
    if (!cursor) return;
    const page = await Api.conversations({ status: state.tab, assigneeId: ASSIGNEE[state.view], q: state.query, cursor, limit: PAGE });
    if (current !== generation) return;
    // A row that moved up meanwhile is already shown (or comes with the next refresh): never twice.
    const shown = new Set(state.conversations.map((c) => c.id));
    state.conversations.push(...page.conversations.filter((c) => !shown.has(c.id)));
    state.nextCursor = page.nextCursor;
    state.total = page.total;
    if (!state.query) state.counts[state.tab] = state.viewCounts[state.view] = page.total;
    drawList();
  }).finally(() => { loadMoreButton.disabled = false; });
}
loadMoreButton.addEventListener('click', () => void loadMore());

/** Another tab or search: the list starts again from its first page. */
function resetList() {
  generation++;
  state.conversations = [];
  state.nextCursor = null;
  state.total = 0;
  state.loaded = false;
  drawList();
  void refreshList();
}

const searchInput = $<HTMLInputElement>('[data-testid="conversation-search"]');
function search() {
  const query = searchInput.value.trim();
  if (query === state.query) return;
  state.query = query;
  resetList();
}
const searchSoon = debounce(search, 250);
searchInput.addEventListener('input', searchSoon);
$<HTMLFormElement>('[data-testid="conversation-search-form"]').addEventListener('submit', (event) => { event.preventDefault(); search(); });

async function loadDetail(id: string, { initial = false } = {}) {
  try {
    const detail = await Api.conversation(id);
    if (view.currentId !== id) return;
    view.show(detail);
    contactPanel.render(detail.contact);
    if (initial && detail.status !== state.tab) setTab(detail.status);
  } catch (err) {
    if (view.currentId !== id) return;
    // Not found: back to the list first, then the error (about the list now, so it stays up there).
    if (err instanceof ApiError && err.status === 404) {
      history.replaceState(null, '', '/inbox/');
      route();
      showError(err, null);
      return;
    }
    showError(err, id);
  }
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

// ---- routing: /inbox, /inbox/, /inbox/c/<id> ------------------------------------------------
function currentRouteId() {
  const match = /^\/inbox\/c\/([^/]+)\/?$/.exec(location.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

function route() {
  const id = currentRouteId();
  if (!id) {
    leaveBannerFor(null);
    view.clear();
    contactPanel.clear();
    drawList();
    return;
  }
  openConversation(id, true);
}

function openConversation(id: string, initial = false) {
  if (view.currentId === id && !initial) return;
  leaveBannerFor(id);
  view.select(id);
  state.unread.delete(id);
  drawList();
  void loadDetail(id, { initial });
}

function navigate(id: string, tab?: Tab) {
  if (currentRouteId() !== id) history.pushState(null, '', `/inbox/c/${encodeURIComponent(id)}`);
  if (tab) setTab(tab);
  openConversation(id);
  if (tab) void refreshList();
}

window.addEventListener('popstate', () => { if (state.me) route(); });
for (const tablist of document.querySelectorAll<HTMLElement>('[role="tablist"]')) wireTablist(tablist);
wireBackLink();
for (const tab of document.querySelectorAll<HTMLElement>('.tab')) {
  tab.addEventListener('click', () => {
    if (tab.dataset.tab === 'open' || tab.dataset.tab === 'closed') setTab(tab.dataset.tab);
    const next = VIEWS.find((v) => v === tab.dataset.view);
    if (next) setView(next);
  });
}

// ---- live updates -------------------------------------------------------------------------
const refreshListSoon = debounce(() => void refreshList(), 150);
const refreshDetailSoon = debounce(() => { if (view.currentId) void loadDetail(view.currentId); }, 150);

function onLive(message: LiveMessage) {
  if (message.type === 'conversation.changed') {
    if (message.conversationId === view.currentId) refreshDetailSoon();
    else state.unread.add(message.conversationId);
    // Another conversation of the contact shown (the customer wrote again after the close, someone
    // reopened it): the shown one's history and where the conversation goes on changed.
    if (message.conversationId !== view.currentId && message.contactId === contactPanel.contactId) refreshDetailSoon();
    refreshListSoon();
  } else if (message.type === 'contact.changed') {
    if (message.contactId === contactPanel.contactId) refreshDetailSoon();
    if (state.conversations.some((c) => c.contactId === message.contactId)) refreshListSoon();
  }
}

function setLiveState(mode: LiveMode) {
  const el = $('[data-testid="live-state"]');
  el.dataset.state = mode;
  el.textContent = mode === 'live' ? 'Live' : 'Updating every 5 s';
  el.title = mode === 'live' ? 'Live updates are on' : 'Live updates are unavailable; checking for changes every 5 seconds';
}

// ---- sign in / out ------------------------------------------------------------------------
const signin = $('[data-testid="signin"]');
const shell = $('[data-testid="inbox"]');

function showSignin(message?: string) {
  shell.hidden = true;
  signin.hidden = false;
  const error = $('[data-testid="signin-error"]');
  error.textContent = message ?? '';
  error.hidden = !message;
  $('[data-testid="signin-token"]').focus();
}

async function start(me: Me) {
  state.me = me;
  signin.hidden = true;
  shell.hidden = false;
  $('[data-testid="me-name"]').textContent = me.user.name;
  $('[data-testid="me-role"]').textContent = me.user.role;
  // Read by the extension's launcher, which will not act as anyone else (a shared workstation).
  shell.dataset.signedInUserId = me.user.id;
  shell.dataset.signedInUserName = me.user.name;
  route();
  void refreshList();
  state.stopShortcutsHint?.();
  state.stopShortcutsHint = watchShortcutsHint();
  state.stopLive = connectLive(session.usesCookie ? null : token.get(), {
    onMessage: onLive,
    onPoll: () => { void refreshList(); refreshDetailSoon(); },
    onState: setLiveState,
  });
  // Everyone's names, for every role: who has a conversation, who wrote a reply.
  const [fields, categories, users] = await Promise.all([
    Api.fields().catch(showError),
    Api.categories().catch(showError),
    Api.teammates().catch(() => null),
  ]);
  if (fields) contactPanel.setFields(fields.fields);
  if (categories) view.setCategories(categories.categories);
  if (users) {
    for (const u of users.users) state.users.set(u.id, u);
    view.rerenderNames();
    drawList(); // the previews name their authors
  }
}

function signOut(message?: string) {
  state.stopLive?.();
  state.stopLive = null;
  state.stopShortcutsHint?.();
  state.stopShortcutsHint = null;
  state.me = null;
  delete shell.dataset.signedInUserId;
  delete shell.dataset.signedInUserName;
  state.users.clear();
  state.unread.clear();
  token.clear();
  if (session.usesCookie) void Api.signOutCookie().catch(() => undefined);
  session.usesCookie = false;
  view.clear();
  contactPanel.clear();
  showSignin(message);
}

setUnauthorizedHandler((message) => signOut(`Signed out: ${message}`));
$('[data-testid="signout"]').addEventListener('click', () => signOut());

$<HTMLFormElement>('[data-testid="signin-form"]').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('[data-testid="signin-token"]');
  const value = input.value.trim();
  if (!value) return;
  try {
    const me = await Api.me(value);
    token.set(value);
    input.value = '';
    await start(me);
  } catch (err) {
    showSignin(err instanceof ApiError && err.status === 401 ? 'That token was not accepted.' : errorMessage(err));
  }
});

/** The extension's "Open inbox" link: /inbox#code=… (a fragment never reaches a server or its logs). */
function takeCodeFromUrl(): string | null {
  const match = /^#(?:.*&)?code=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(match[1]);
}

async function startWithCookie(me: Me) {
  token.clear(); // a token pasted earlier would otherwise sign the calls in as someone else
  session.usesCookie = true;
  await start(me);
}

async function boot() {
  const code = takeCodeFromUrl();
  if (code) {
    try {
      return await startWithCookie(await Api.signInWithCode(code));
    } catch (err) {
      return showSignin(errorMessage(err));
    }
  }
  const saved = token.get();
  if (!saved && session.mayHaveCookie()) {
    const me = await Api.me(null).catch(() => null);
    if (me) return startWithCookie(me);
  }
  if (!saved) return showSignin();
  try {
    await start(await Api.me(saved));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) signOut('Your saved token is no longer valid. Sign in again.');
    else showSignin(errorMessage(err));
  }
}

void boot();
