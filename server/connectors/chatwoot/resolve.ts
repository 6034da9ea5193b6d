import type { ChatwootResolveResult } from '../../../lib/contracts/chatwoot';
import { inTransaction } from '../../events/unit-of-work';
import { HttpError } from '../../http-error';
import type { Services } from '../../services';
import { ChatwootApiError } from './api';
import { apiFor, listConnections } from './connections';
import { lockMirror } from './mirror-contact';
import { latestMirror } from './mirror-conversation';
import { applyRead } from './apply-read';
import { placeOf } from './inboxes';
import { chatwootAddress } from './same-account';

const originOf = (raw: string) => {
  try {
    return new URL(raw).origin;
  } catch {
    throw new HttpError(422, 'invalid_content', `"${raw.slice(0, 100)}" is not an origin such as https://chatwoot.example.com`, [{ path: 'querystring.origin', message: 'Expected an origin' }]);
  }
};

/**
 * What the extension knows in Chatwoot's dashboard (origin, account id, conversation number from
 * the URL) → the companion conversation to launch shortcuts on. A conversation not mirrored yet,
 * or mirrored as closed while Chatwoot has it open, is read from Chatwoot now and applied like a
 * sync applies it, with its inbox and the customer's last message (which may open it here and fire
 * Conversation Opened, unless it is imported: one that was there before the account was
 * connected, looked up before the account's first sync).
 */
export async function resolveChatwootConversation(services: Services, q: { origin: string; accountId: number; conversationId: number }): Promise<ChatwootResolveResult> {
  const origin = originOf(q.origin);
  // Chatwoot's page may be open at another spelling of the connected address (https since TLS was
  // set up): the same account, by the rule connecting it uses (same-account.ts). An origin has no
  // path, so it is matched with the connection's origin. An exact match first, for connections
  // made before that rule that differ only there.
  const candidates = (await listConnections(services, services.db)).filter((c) => c.config.accountId === q.accountId && chatwootAddress(c.config.origin) === chatwootAddress(origin));
  const conn = candidates.find((c) => c.config.origin === origin) ?? candidates[0];
  if (!conn) throw new HttpError(404, 'chatwoot_not_connected', `Chatwoot account ${q.accountId} at ${origin} is not connected to this companion: an admin connects it in the options page (Settings → Chatwoot)`);
  const answer = (row: { id: string; contact_id: string; status: string }): ChatwootResolveResult =>
    ({ conversationId: row.id, contactId: row.contact_id, connectionId: conn.row.id, status: row.status === 'open' ? 'open' : 'closed' });

  const known = await inTransaction(services.db, (uow) => latestMirror({ uow, conn }, q.conversationId));
  if (known?.status === 'open') return answer(known);
  let conversation;
  try {
    conversation = await apiFor(services, conn).conversation(q.conversationId);
  } catch (err) {
    if (err instanceof ChatwootApiError && err.reason === 'not_found') throw new HttpError(404, 'not_found', `Chatwoot has no conversation ${q.conversationId} in account ${q.accountId} (or the connected token's user cannot see it)`);
    if (err instanceof ChatwootApiError) throw new HttpError(502, 'chatwoot_unavailable', err.message);
    throw err;
  }
  const place = await placeOf(services, conn, conversation);
  const row = await inTransaction(services.db, async (uow) => {
    await lockMirror({ uow, services, conn });
    // With the customer's last message, as a sync would: the agent sees what they wrote.
    await applyRead({ uow, services, conn, notes: [] }, conversation, place, { reactivate: true });
    return latestMirror({ uow, conn }, q.conversationId);
  });
  if (!row) throw new HttpError(409, 'conversation_resolved', `Chatwoot conversation ${q.conversationId} is resolved; shortcuts run in open conversations (reopen it in Chatwoot)`);
  return answer(row);
}
