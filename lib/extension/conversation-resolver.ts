import { CHATWOOT_NOT_CONNECTED } from '../contracts/chatwoot-resolve';
import { ApiError } from './api-client';
import type { OutsideConversation, ResolveOutcome } from './protocol';
import type { Sync } from './sync';

const MAX_CACHED = 500;

/**
 * Maps outside conversations (Chatwoot account + display id) to the companion's through the
 * server, remembering each answer per server. The launcher asks on every route change (the
 * server then mirrors a conversation it did not know yet, so the launch does not wait for
 * Chatwoot) and asks `fresh` at launch: a mapping can change (Chatwoot reopens a conversation
 * the companion had closed, which opens a new one here). Failures are not remembered (the
 * admin may connect the account a minute later).
 */
export class ConversationResolver {
  private readonly cache = new Map<string, string>();

  constructor(private readonly sync: Sync) {}

  async resolve(req: OutsideConversation & { fresh?: boolean }): Promise<ResolveOutcome> {
    await this.sync.ready;
    const client = this.sync.client();
    if (!client) return { ok: false, kind: 'not_connected', message: 'Not connected to a companion server: connect from the extension popup.' };
    const key = JSON.stringify([client.serverUrl, req.inbox, req.origin, req.accountId, req.conversationId]);
    const cached = this.cache.get(key);
    if (cached && !req.fresh) return { ok: true, conversationId: cached };
    const where = `${req.origin}, account ${req.accountId}`;
    try {
      const accountId = Number(req.accountId);
      const conversationId = Number(req.conversationId);
      const found = await client.resolveChatwootConversation({ origin: req.origin, accountId, conversationId });
      this.cache.delete(key);
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, found.conversationId);
      return { ok: true, conversationId: found.conversationId };
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('error', err instanceof Error ? err.message : String(err));
      if (e.code === CHATWOOT_NOT_CONNECTED) {
        this.cache.delete(key);
        return { ok: false, kind: 'not_connected', message: e.message || `Chatwoot account ${where} is not connected to the companion: an admin connects it in the options page` };
      }
      this.cache.delete(key);
      if (e.kind === 'not_found') {
        // Chatwoot has no such conversation (a server without the Chatwoot routes is `route_missing`: said as is below).
        return { ok: false, kind: 'not_found', message: `Chatwoot conversation ${req.conversationId} (${where}) cannot be mapped: ${e.message}` };
      }
      if (e.kind === 'unreachable') return { ok: false, kind: 'unreachable', message: e.message };
      return { ok: false, kind: 'error', message: e.message };
    }
  }
}
