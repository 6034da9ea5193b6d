import type { LauncherApi } from '../launcher/types';
import { ApiError, createApiClient, launchOutcomeOf, unreachableMessage } from '../../lib/extension/api-client';
import { CHATWOOT_NOT_CONNECTED } from '../../lib/contracts/chatwoot-resolve';
import type { ConnectionState, Push } from '../../lib/extension/protocol';
import type { AwaitingAnswerState } from '../../lib/contracts/conversations';
import type { DashboardConversation } from './context';

/**
 * The launcher's api straight over HTTP, for the Dashboard App page (no extension, no
 * background): the same API calls the background makes, with the token the agent signed in with.
 * A launch first maps the Chatwoot conversation to the companion's, as the extension does.
 */
export function createHttpLauncherApi(serverUrl: string, token: string, current: () => DashboardConversation | null) {
  const client = createApiClient({ serverUrl, token });
  const listeners = new Set<(p: Push) => void>();
  const push = (p: Push) => listeners.forEach((l) => l(p));
  // The launcher ignores an open request until its shortcut list has loaded: remember one and
  // repeat it once the list is there (the launcher renders it a moment after this resolves).
  let wantOpen = false;

  // Asked at each launch: the mapping can change (a conversation reopened in Chatwoot).
  const resolve = async (c: DashboardConversation): Promise<string> =>
    (await client.resolveChatwootConversation({ origin: c.origin, accountId: Number(c.accountId), conversationId: Number(c.conversationId) })).conversationId;

  const api: LauncherApi & {
    requestOpen(): void;
    companionConversation(c: DashboardConversation): Promise<string | null>;
    awaitingAnswer(companionConversationId: string): Promise<AwaitingAnswerState>;
    takeOver(companionConversationId: string, runId: string): Promise<AwaitingAnswerState>;
  } = {
    async getConnection(): Promise<ConnectionState> {
      try {
        return { state: 'connected', serverUrl, me: await client.me() };
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError('error', String(err));
        if (e.kind === 'unauthorized') return { state: 'unauthorized', serverUrl, error: e.message };
        return { state: 'unreachable', serverUrl, me: null, error: e.message || unreachableMessage(serverUrl) };
      }
    },
    async listShortcuts() {
      const list = { ...(await client.shortcuts()), stale: false };
      if (wantOpen && list.allowed && list.shortcuts.length > 0) {
        wantOpen = false;
        setTimeout(() => push({ type: 'open-launcher' }), 50);
      }
      return list;
    },
    async launchShortcut({ shortcutId, values }) {
      const conversation = current();
      if (!conversation) return { ok: false, kind: 'error', message: 'Chatwoot has not said which conversation is open yet.' };
      let conversationId: string;
      try {
        conversationId = await resolve(conversation);
      } catch (err) {
        // Not connected, resolved in Chatwoot, unknown there: the server says which, in words.
        if (err instanceof ApiError && (err.code === CHATWOOT_NOT_CONNECTED || err.kind === 'not_found')) return { ok: false, kind: 'error', message: err.message };
        return launchOutcomeOf(err);
      }
      try {
        // The answer names the contact (contactName): the toast says who the run is about, as the extension's does.
        return { ok: true, ...(await client.launch(shortcutId, { conversationId, values })) };
      } catch (err) {
        return launchOutcomeOf(err);
      }
    },
    async getRun({ runId }) {
      try {
        return await client.run(runId);
      } catch (err) {
        if (err instanceof ApiError && err.kind === 'not_found') return null;
        throw err;
      }
    },
    onPush(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    requestOpen() {
      wantOpen = true;
      push({ type: 'open-launcher' });
    },
    /** The companion's conversation for the Chatwoot one; null when it has none (not connected, resolved, unknown). */
    async companionConversation(conversation: DashboardConversation) {
      try {
        return await resolve(conversation);
      } catch {
        return null;
      }
    },
    /** Whether a workflow waits for this customer's answer (their next message goes to it); throws when that cannot be told. */
    awaitingAnswer(companionConversationId: string) {
      return client.awaitingAnswer(companionConversationId);
    },
    /** Stops that run's question so the agent answers; what waits now. Throws with the server's refusal. */
    takeOver(companionConversationId: string, runId: string) {
      return client.takeOver(companionConversationId, { runId });
    },
  };
  return api;
}
