import { Api, ApiError, session, setUnauthorizedHandler, token } from './api.js';
import { wireBackLink } from './back-link.js';
import { createContactPanel } from './contact.js';
import { wireContactDrawer } from './contact-drawer.js';
import { createConversationView } from './conversation.js';
import { $, debounce } from './dom.js';
import { createErrorBanner } from './error-banner.js';
import { createListPane, type Tab } from './list-pane.js';
import { connectLive, type LiveMode } from './live.js';
import { createSeenReporter } from './seen.js';
import { watchShortcutsHint } from './shortcuts-hint.js';
import { wireSignIn } from './sign-in.js';
import { wireTablist } from './tablist.js';
import type { LiveMessage, Me, Teammate } from './wire.js';

// The page's wiring: the three panes (list-pane.ts, conversation.ts, contact.ts) told about each
// other, the address (/inbox/c/<id>) as the one place that says which conversation is shown, the
// live updates, and signing in and out.

const state = {
  me: null as Me | null,
  users: new Map<string, Teammate>(),
  stopLive: null as (() => void) | null,
  stopShortcutsHint: null as (() => void) | null,
};

const banner = createErrorBanner({ shownId: () => view.currentId, row: (id) => list.rows.find((c) => c.id === id) });
const showError = banner.show;

// ---- views --------------------------------------------------------------------------------
const userName = (id: string | null) => {
  if (!id) return 'Agent';
  if (id === state.me?.user.id) return 'You';
  return state.users.get(id)?.name ?? 'Agent';
};

const view = createConversationView({
  showError,
  afterChange: (id) => { void loadDetail(id); void list.refresh(); },
  navigate,
  me: () => state.me,
  userName,
  teammates: () => state.users.values(),
});

const contactPanel = createContactPanel($('[data-testid="contact-panel"]'), {
  showError,
  canMerge: () => state.me?.permissions.superviseAgents === true,
  // Read from `me` on each build (not asked once): a role changed meanwhile shows or hides it.
  canDelete: () => state.me?.user.role === 'admin',
  // The merged contact's conversations now belong to this one; its open one was closed.
  onMerged: () => refreshListSoon(),
  onContact: (contact) => {
    contactPanel.render(contact);
    view.setContact(contact);
    for (const c of list.rows) if (c.contactId === contact.id) c.contact = contact;
    list.draw();
  },
});
wireContactDrawer();

const list = createListPane({ currentId: () => view.currentId, onSelect: (id) => navigate(id), userName, showError });
// What the agent has looked at, for the server's unread counts (seen.ts).
const seen = createSeenReporter((id) => Api.seen(id), () => view.currentId);

async function loadDetail(id: string, { initial = false } = {}) {
  try {
    // The contact's earlier conversations only while they show (a long thread's start is not on screen yet).
    const detail = await Api.conversation(id, view.wantsHistory(id));
    if (view.currentId !== id) return;
    view.show(detail);
    seen.shown(id);
    contactPanel.render(detail.contact);
    if (initial && detail.status !== list.tab) list.setTab(detail.status);
  } catch (err) {
    if (view.currentId !== id) return;
    // Not found: back to the list first, then the error (about the list now, so it stays up there).
    if (err instanceof ApiError && err.status === 404) {
      history.replaceState(null, '', `/inbox/${location.search}`);
      route();
      showError(err, null);
      return;
    }
    showError(err, id);
  }
}

// ---- routing: /inbox, /inbox/, /inbox/c/<id> ------------------------------------------------
function currentRouteId() {
  const match = /^\/inbox\/c\/([^/]+)\/?$/.exec(location.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

function route() {
  const id = currentRouteId();
  if (!id) {
    seen.left();
    banner.leaveFor(null);
    view.clear();
    contactPanel.clear();
    list.draw();
    return;
  }
  openConversation(id, true);
}

function openConversation(id: string, initial = false) {
  if (view.currentId === id && !initial) return;
  banner.leaveFor(id);
  view.select(id, list.rows.find((c) => c.id === id)?.contact);
  seen.left();
  list.seen(id);
  list.draw();
  void loadDetail(id, { initial });
}

function navigate(id: string, tab?: Tab) {
  // The list's search and filters (?q=&unread=&channel=) stay in the URL: a reload keeps them.
  if (currentRouteId() !== id) history.pushState(null, '', `/inbox/c/${encodeURIComponent(id)}${location.search}`);
  if (tab) list.setTab(tab);
  openConversation(id);
  if (tab) void list.refresh();
}

window.addEventListener('popstate', () => {
  if (!state.me) return;
  list.followUrl();
  route();
});
for (const tablist of document.querySelectorAll<HTMLElement>('[role="tablist"]')) wireTablist(tablist);
wireBackLink();

// ---- live updates -------------------------------------------------------------------------
const refreshListSoon = debounce(() => void list.refresh(), 150);
const refreshDetailSoon = debounce(() => { if (view.currentId) void loadDetail(view.currentId); }, 150);

function onLive(message: LiveMessage) {
  if (message.type === 'conversation.changed') {
    if (message.conversationId === view.currentId) refreshDetailSoon();
    // Another conversation of the contact shown (the customer wrote again after the close, someone
    // reopened it): the shown one's history and where the conversation goes on changed.
    if (message.conversationId !== view.currentId && message.contactId === contactPanel.contactId) refreshDetailSoon();
    refreshListSoon();
  } else if (message.type === 'conversation.seen') {
    // This agent looked at it here or in another tab: the counts are the server's.
    refreshListSoon();
  } else if (message.type === 'contact.changed') {
    if (message.contactId === contactPanel.contactId) refreshDetailSoon();
    if (list.rows.some((c) => c.contactId === message.contactId)) refreshListSoon();
  } else if (message.type === 'user.changed') {
    void refreshPeople(message.userId === state.me?.user.id);
  }
}

const people = { seq: 0, meWanted: false };

/**
 * An admin changed someone (PATCH /users: name, role, deactivation; a new token). The team's
 * names and who is active (the Assign-to menu) are read again; when it is the person signed in,
 * who they are too, so a promoted or demoted user gets the header and controls of their new role
 * now (Assign to, Merge, Delete) rather than keeping the old ones until a reload. A deactivated
 * user's /me is a 401, which signs the page out with the reason, as before.
 */
async function refreshPeople(self: boolean) {
  // Changes in a row (a role set twice): only the latest read applies. Before, the first answer in
  // won and the newer one was dropped: the role in between stayed. It reads /me if any was about me.
  const seq = ++people.seq;
  people.meWanted ||= self;
  const signedIn = state.me?.user.id;
  const [me, users] = await Promise.all([people.meWanted ? Api.me().catch(() => null) : null, Api.teammates().catch(() => null)]);
  if (seq !== people.seq) return;
  if (!signedIn || state.me?.user.id !== signedIn) return; // signed out (or in as someone else) meanwhile
  if (me) people.meWanted = false;
  if (me && me.user.id === signedIn) showMe(me);
  if (users) {
    state.users.clear();
    for (const u of users.users) state.users.set(u.id, u);
    list.draw();
  }
  view.rerenderNames();
  if (view.currentId) void loadDetail(view.currentId);
}

/** Who is signed in, in the header (and for the extension's launcher, see start). */
function showMe(me: Me) {
  state.me = me;
  $('[data-testid="me-name"]').textContent = me.user.name;
  $('[data-testid="me-role"]').textContent = me.user.role;
  // Read by the extension's launcher, which will not act as anyone else (a shared workstation).
  shell.dataset.signedInUserId = me.user.id;
  shell.dataset.signedInUserName = me.user.name;
}

function setLiveState(mode: LiveMode) {
  const el = $('[data-testid="live-state"]');
  el.dataset.state = mode;
  el.textContent = mode === 'live' ? 'Live' : 'Updating every 5 s';
  el.title = mode === 'live' ? 'Live updates are on' : 'Live updates are unavailable; checking for changes every 5 seconds';
}

// ---- sign in / out ------------------------------------------------------------------------
const shell = $('[data-testid="inbox"]');

async function start(me: Me) {
  showMe(me);
  signIn.hide();
  route();
  void list.refresh();
  state.stopShortcutsHint?.();
  state.stopShortcutsHint = watchShortcutsHint();
  state.stopLive = connectLive(session.usesCookie ? null : token.get(), {
    onMessage: onLive,
    onPoll: () => { void list.refresh(); refreshDetailSoon(); },
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
    list.draw(); // the previews name their authors
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
  seen.reset();
  token.clear();
  if (session.usesCookie) void Api.signOutCookie().catch(() => undefined);
  session.usesCookie = false;
  view.clear();
  contactPanel.clear();
  signIn.show(message);
}

setUnauthorizedHandler((message) => signOut(`Signed out: ${message}`));
$('[data-testid="signout"]').addEventListener('click', () => signOut());
const signIn = wireSignIn({ start, signOut });

void signIn.boot();
