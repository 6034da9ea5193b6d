import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DASHBOARD_APP_FETCH_INFO } from '../../lib/contracts/chatwoot-dashboard-app';
import { mountShortcutForm } from '../forms/mount';
import { Launcher } from '../launcher/Launcher';
import type { FormLoader } from '../launcher/types';
import type { PageUser } from '../../lib/extension/adapters/types';
import { useAwaitingAnswer, type AwaitingSource } from '../launcher/use-awaiting-answer';
import { AwaitingNotice } from '../launcher/AwaitingNotice';
import { awaitingWho } from '../../lib/workflow/waiting-on';
import { SecretInput } from '../options/SecretInput';
import { readAppContext, type DashboardConversation } from './context';
import { createHttpLauncherApi } from './http-api';

export const TOKEN_KEY = 'inbox-companion-token';

const forms: FormLoader = { current: () => ({ mountShortcutForm }), load: async () => ({ mountShortcutForm }) };

/** The launcher's seat check (seat.ts) says this instead of "reconnect the extension": here the token is the identity. */
export const SIGN_IN_AS_YOU = 'sign out of this app and sign in with your own companion token.';

/**
 * Who is signed in to Chatwoot, as its appContext says (`currentAgent.email`), for the launcher
 * to compare with the token's user, as the extension compares Chatwoot's session cookie: a token
 * left in a shared browser would launch as its owner. No email, no check.
 */
const signedInToChatwoot = (c: DashboardConversation | null): PageUser | null =>
  (c?.agentEmail ? { email: c.agentEmail, ...(c.agentName ? { name: c.agentName } : {}) } : null);

/**
 * The launcher as a Chatwoot Dashboard App: Chatwoot tells the frame which conversation is open
 * (postMessage appContext), the agent signs in once with their companion token (kept in this
 * origin's localStorage), and the same menu and forms launch through the same API.
 *
 * Where the extension gives the focus back to Chatwoot's editor, this page cannot: the editor is
 * another origin's, and hidden while the app's tab shows (ConversationBox.vue: the messages pane
 * is `v-show="!activeIndex"`); Chatwoot's frame answers one message only,
 * 'chatwoot-dashboard-app:fetch-info' (DashboardApp/Frame.vue; https://www.chatwoot.com/hc/user-guide/articles/1677691702-how-to-use-dashboard-apps).
 * So the focus goes to the launcher's button, as a menu button's does, and after Take over the
 * page says where to reply.
 */
export function DashboardApp({ serverUrl, storage = localStorage }: { serverUrl: string; storage?: Storage }) {
  const [token, setToken] = useState<string | null>(() => storage.getItem(TOKEN_KEY));
  const [conversation, setConversation] = useState<DashboardConversation | null>(null);
  const current = useRef(conversation);
  current.current = conversation;
  const main = useRef<HTMLElement>(null);
  const focusLauncher = useCallback(() => main.current?.querySelector<HTMLButtonElement>('.ic-launcher > .ic-button')?.focus(), []);
  // What Take over did, said until another conversation is open.
  const [said, setSaid] = useState('');
  useEffect(() => setSaid(''), [conversation?.conversationId]);

  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      const next = readAppContext(e, window.parent, document.referrer);
      if (next) setConversation(next);
    };
    window.addEventListener('message', onMessage);
    // Ask again on load and whenever the agent comes back to the app (another conversation may be open).
    const ask = () => { if (window.parent !== window) window.parent.postMessage(DASHBOARD_APP_FETCH_INFO, '*'); };
    ask();
    window.addEventListener('focus', ask);
    return () => {
      window.removeEventListener('message', onMessage);
      window.removeEventListener('focus', ask);
    };
  }, []);

  const api = useMemo(() => (token ? createHttpLauncherApi(serverUrl, token, () => current.current) : null), [serverUrl, token]);
  // The menu is the page: open it as soon as there is something to launch on.
  useEffect(() => {
    if (api && conversation) api.requestOpen();
  }, [api, conversation?.conversationId]);

  const awaitingSource = useMemo<AwaitingSource | null>(() => api && conversation && {
    map: () => api.companionConversation(conversation),
    look: (id) => api.awaitingAnswer(id),
    takeOver: (id, runId) => api.takeOver(id, runId),
  }, [api, conversation?.origin, conversation?.accountId, conversation?.conversationId]);
  const { awaiting, takeOver } = useAwaitingAnswer(awaitingSource, awaitingSource && `${conversation!.origin} ${conversation!.accountId} ${conversation!.conversationId}`);

  if (!token || !api) return <SignIn onToken={(t) => { storage.setItem(TOKEN_KEY, t); setToken(t); }} />;
  const key = conversation ? `chatwoot:${conversation.accountId}:${conversation.conversationId}` : null;
  return (
    <main className="ic-dashboard-app" ref={main}>
      <header className="ic-da-header">
        <p data-testid="da-conversation">
          {conversation
            ? `Chatwoot conversation #${conversation.conversationId}${conversation.contactName ? ` · ${conversation.contactName}` : ''}`
            : 'Waiting for Chatwoot to say which conversation is open…'}
        </p>
        <button type="button" className="ic-da-link" onClick={() => { storage.removeItem(TOKEN_KEY); setToken(null); }}>Sign out</button>
      </header>
      {awaiting.length > 0 && (
        <AwaitingNotice awaiting={awaiting} takeOver={takeOver} className="ic-awaiting-note ic-da-awaiting" testId="da-awaiting" onTakenOver={(stopped) => {
          setSaid(`${awaitingWho(stopped)} stopped: the customer’s next message comes to you. Reply from Chatwoot’s Messages tab.`);
          focusLauncher();
        }} />
      )}
      <p className="ic-da-said" role="status" data-testid="da-announcement">{said}</p>
      <Launcher api={api} forms={forms} conversationId={key} conversationLabel={conversation ? `#${conversation.conversationId}` : null} returnFocus={focusLauncher}
        signedInHere={() => signedInToChatwoot(current.current)} seatRemedy={SIGN_IN_AS_YOU} />
    </main>
  );
}

function SignIn({ onToken }: { onToken(token: string): void }) {
  const [text, setText] = useState('');
  return (
    <form className="ic-da-signin" onSubmit={(e) => { e.preventDefault(); if (text.trim()) onToken(text.trim()); }}>
      <h1>Inbox Companion</h1>
      <p>Sign in once with your companion token (your admin gives it to you); this browser keeps it for this app.</p>
      <label htmlFor="ic-da-token">Token</label>
      <SecretInput id="ic-da-token" what="token" value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit" disabled={!text.trim()}>Sign in</button>
    </form>
  );
}
