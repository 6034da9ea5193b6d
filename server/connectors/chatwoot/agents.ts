import type { Services } from '../../services';
import { apiFor, type ChatwootConnection } from './connections';

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { at: number; emails: Map<number, string | null> }>();

/**
 * The email of a Chatwoot agent (webhook payloads name the assignee without one: User#push_event_data),
 * from GET …/agents, kept five minutes per account. undefined when Chatwoot cannot be asked: the
 * assignment is then left as it is, and the next delivery or reconcile tries again.
 */
export async function agentEmail(services: Services, conn: ChatwootConnection, agentId: number): Promise<string | null | undefined> {
  let entry = cache.get(conn.row.id);
  if (!entry || Date.now() - entry.at > TTL_MS || !entry.emails.has(agentId)) {
    try {
      const agents = await apiFor(services, conn).agents();
      entry = { at: Date.now(), emails: new Map(agents.map((a) => [a.id, a.email ?? null])) };
      cache.set(conn.row.id, entry);
    } catch (err) {
      services.log.warn({ err, connection: conn.row.id }, 'Chatwoot agents could not be read; assignment not mirrored');
      return undefined;
    }
  }
  return entry.emails.get(agentId) ?? null;
}
