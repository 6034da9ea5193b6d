import { Api, ApiError, session, setUnauthorizedHandler, token } from './api.js';
import { createContactPanel } from './contact.js';
import { createConversationView } from './conversation.js';
import { $, debounce } from './dom.js';
import { renderList } from './list.js';
import { connectLive, type LiveMode } from './live.js';
import type { ConversationListItem, LiveMessage, Me, User } from './wire.js';

type Tab = 'open' | 'closed';

const state = {
  me: null as Me | null,
  tab: 'open' as Tab,
  conversations: [] as ConversationListItem[],
  openCount: 0,
  seen: new Map<string, string>(), // conversationId -> ISO time of the last activity we heard of
  unread: new Set<string>(),
  users: new Map<string, User>(),
  stopLive: null as (() => void) | null,
};

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

// ---- error banner -------------------------------------------------------------------------
const banner = $('[data-testid="error-banner"]');
let bannerTimer: ReturnType<typeof setTimeout> | undefined;
function showError(err: unknown) {
  let text = err instanceof ApiError ? err.message : String((err as { message?: unknown } | null)?.message ?? err);
  const first = err instanceof ApiError ? err.details[0] : undefined;
  if (first && !text.includes(first.message)) text += ` (${first.message})`;
  $('.banner-text', banner).textContent = text;
  banner.hidden = false;
  clearTimeout(bannerTimer);
  bannerTimer = setTimeout(() => { banner.hidden = true; }, 10000);
}
$('.banner-close', banner).addEventListener('click', () => { banner.hidden = true; });

// ---- views --------------------------------------------------------------------------------
const userName = (id: string | null) => {
  if (!id) return 'Agent';
  if (id === state.me?.user.id) return 'You';
  return state.users.get(id)?.name ?? 'Agent';
};

const view = createConversationView({
  showError,
  afterChange: (id) => { state.seen.set(id, new Date().toISOString()); void loadDetail(id); void refreshList(); },
  navigate,
  me: () => state.me,
  userName,
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
function drawList() {
  renderList(listEl, state.conversations, {
    currentId: view.currentId, seen: state.seen, unread: state.unread, onSelect: (id) => navigate(id),
  });
  $('[data-testid="conversation-list-empty"]').hidden = state.conversations.length > 0;
  for (const tab of document.querySelectorAll<HTMLElement>('.tab')) {
    const active = tab.dataset.tab === state.tab;
    tab.setAttribute('aria-selected', String(active));
    tab.classList.toggle('active', active);
  }
  $('[data-testid="tab-open"]').textContent = state.openCount ? `Open (${state.openCount})` : 'Open';
}

// ---- data ---------------------------------------------------------------------------------
let listRequest = 0;
async function refreshList() {
  const ticket = ++listRequest;
  const tab = state.tab;
  try {
    const [current, open] = await Promise.all([Api.conversations(tab), tab === 'open' ? null : Api.conversations('open')]);
    if (ticket !== listRequest) return; // a newer refresh (or tab switch) wins
    state.conversations = current.conversations;
    state.openCount = (open ?? current).conversations.length;
    drawList();
  } catch (err) {
    if (ticket === listRequest) showError(err);
  }
}

async function loadDetail(id: string, { initial = false } = {}) {
  try {
    const detail = await Api.conversation(id);
    if (view.currentId !== id) return;
    const last = detail.messages.at(-1)?.createdAt;
    if (last && (state.seen.get(id) ?? '') < last) state.seen.set(id, last);
    view.show(detail);
    contactPanel.render(detail.contact);
    if (initial && detail.status !== state.tab) setTab(detail.status);
  } catch (err) {
    if (view.currentId !== id) return;
    showError(err);
    if (err instanceof ApiError && err.status === 404) {
      history.replaceState(null, '', '/inbox/');
      route();
    }
  }
}

function setTab(tab: Tab) {
  if (state.tab === tab) return;
  state.tab = tab;
  state.conversations = [];
  drawList();
  void refreshList();
}

// ---- routing: /inbox, /inbox/, /inbox/c/<id> ------------------------------------------------
function currentRouteId() {
  const match = /^\/inbox\/c\/([^/]+)\/?$/.exec(location.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

function route() {
  const id = currentRouteId();
  if (!id) {
    view.clear();
    contactPanel.clear();
    drawList();
    return;
  }
  openConversation(id, true);
}

function openConversation(id: string, initial = false) {
  if (view.currentId === id && !initial) return;
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
for (const tab of document.querySelectorAll<HTMLElement>('.tab')) {
  tab.addEventListener('click', () => { if (tab.dataset.tab === 'open' || tab.dataset.tab === 'closed') setTab(tab.dataset.tab); });
}

// ---- live updates -------------------------------------------------------------------------
const refreshListSoon = debounce(() => void refreshList(), 150);
const refreshDetailSoon = debounce(() => { if (view.currentId) void loadDetail(view.currentId); }, 150);

function onLive(message: LiveMessage) {
  if (message.type === 'conversation.changed') {
    state.seen.set(message.conversationId, new Date().toISOString());
    if (message.conversationId === view.currentId) refreshDetailSoon();
    else state.unread.add(message.conversationId);
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
  route();
  void refreshList();
  state.stopLive = connectLive(session.usesCookie ? null : token.get(), {
    onMessage: onLive,
    onPoll: () => { void refreshList(); refreshDetailSoon(); },
    onState: setLiveState,
  });
  const [fields, categories, users] = await Promise.all([
    Api.fields().catch(showError),
    Api.categories().catch(showError),
    me.permissions.superviseAgents ? Api.users().catch(() => null) : null,
  ]);
  if (fields) contactPanel.setFields(fields.fields);
  if (categories) view.setCategories(categories.categories);
  if (users) {
    for (const u of users.users) state.users.set(u.id, u);
    view.rerenderNames();
  }
}

function signOut(message?: string) {
  state.stopLive?.();
  state.stopLive = null;
  state.me = null;
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
