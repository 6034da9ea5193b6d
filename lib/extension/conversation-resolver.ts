import { CHATWOOT_NOT_CONNECTED } from '../contracts/chatwoot-resolve';
import { ApiError } from './api-client';
import type { OutsideConversation, ResolveOutcome } from './protocol';
import type { Sync } from './sync';

const MAX_CACHED = 500;

/**
 * Maps outside conversations (Chatwoot account + display id) to the companion's through the
 * server, remembering each answer per server: the launcher resolves on every route change and
 * again at launch, and a mapping never changes once made. Failures are not remembered (the
 * admin may connect the account a minute later).
 */
export class ConversationResolver {
  private readonly cache = new Map<string, string>();

  constructor(private readonly sync: Sync) {}

  async resolve(req: OutsideConversation): Promise<ResolveOutcome> {
    await this.sync.ready;
    const client = this.sync.client();
    if (!client) return { ok: false, kind: 'not_connected', message: 'Not connected to a companion server: connect from the extension popup.' };
    const key = JSON.stringify([client.serverUrl, req.inbox, req.origin, req.accountId, req.conversationId]);
    const cached = this.cache.get(key);
    if (cached) return { ok: true, conversationId: cached };
    const where = `${req.origin}, account ${req.accountId}`;
    try {
      const accountId = Number(req.accountId);
      const conversationId = Number(req.conversationId);
      const found = await client.resolveChatwootConversation({ origin: req.origin, accountId, conversationId });
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, found.conversationId);
      return { ok: true, conversationId: found.conversationId };
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('error', err instanceof Error ? err.message : String(err));
      if (e.code === CHATWOOT_NOT_CONNECTED) {
        return { ok: false, kind: 'not_connected', message: `This Chatwoot account (${where}) is not connected to the companion: an admin connects it in the extension's options page. (${e.message})` };
      }
      if (e.kind === 'not_found') {
        // A server without the Chatwoot routes answers 404 too, with its generic code.
        return { ok: false, kind: 'not_found', message: `The companion does not know Chatwoot conversation ${req.conversationId} (${where}) yet: ${e.message}` };
      }
      if (e.kind === 'unreachable') return { ok: false, kind: 'unreachable', message: e.message };
      return { ok: false, kind: 'error', message: e.message };
    }
  }
}
