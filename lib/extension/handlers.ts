import { ApiError, launchOutcomeOf } from './api-client';
import type { Handlers } from './messaging';
import type { AdapterHealth } from './adapters/placement';
import { ConversationResolver } from './conversation-resolver';
import type { Sync } from './sync';

const NOT_CONNECTED = 'Not connected to a companion server: connect from the extension popup.';

/** The background's answer to every request of ProtocolMap. */
export function createHandlers(sync: Sync): Handlers {
  const resolver = new ConversationResolver(sync);
  // Per tab, in memory: a restarted worker forgets, and the page reports again on its next change.
  const health = new Map<number, AdapterHealth>();
  return {
    getConnection: () => sync.getState(),
    connect: (c) => sync.connect(c),
    disconnect: () => sync.disconnect(),
    listShortcuts: (req) => sync.listShortcuts(req?.refresh ?? false),

    async launchShortcut({ shortcutId, conversationId, values }) {
      await sync.ready;
      const client = sync.client();
      if (!client) return { ok: false, kind: 'error', message: NOT_CONNECTED };
      try {
        return { ok: true, ...(await client.launch(shortcutId, { conversationId, values: values ?? {} })) };
      } catch (err) {
        // A refusal usually means the list or the restrictions changed since the menu opened.
        if (err instanceof ApiError && (err.kind === 'forbidden' || err.kind === 'not_found' || err.kind === 'unauthorized' || err.kind === 'unreachable')) {
          void sync.revalidate({ force: true }).catch(() => undefined);
        }
        return launchOutcomeOf(err);
      }
    },

    async getRun({ runId }) {
      await sync.ready;
      const client = sync.client();
      if (!client) throw new Error(NOT_CONNECTED);
      try {
        return await client.run(runId);
      } catch (err) {
        if (err instanceof ApiError && err.kind === 'not_found') return null;
        throw err;
      }
    },

    resolveConversation: (req) => resolver.resolve(req),

    async awaitingAnswer({ conversationId }) {
      await sync.ready;
      const client = sync.client();
      if (!client) throw new Error(NOT_CONNECTED);
      return client.awaitingAnswer(conversationId);
    },

    async takeOver({ conversationId, runId }) {
      await sync.ready;
      const client = sync.client();
      if (!client) throw new Error(NOT_CONNECTED);
      return client.takeOver(conversationId, { runId });
    },

    reportAdapter(report, sender) {
      const tabId = sender.tab?.id;
      if (tabId != null) health.set(tabId, report);
      return null;
    },

    getAdapterHealth: ({ tabId }) => health.get(tabId) ?? null,

    async api({ method, path, body }) {
      await sync.ready;
      const client = sync.client();
      if (!client) return { status: 0, body: { error: { code: 'not_connected', message: NOT_CONNECTED } } };
      return client.raw(method, path, body);
    },
  };
}
