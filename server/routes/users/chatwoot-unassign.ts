import type { FastifyRequest } from 'fastify';
import type { Conversation } from '../../../lib/contracts/conversations';
import type { User, UserChanged } from '../../../lib/contracts/users';
import { chatwootInboxOf } from '../../connectors/chatwoot/dashboard-link';
import { oweUnassign } from '../../connectors/chatwoot/unassign-later';
import { getConversation } from '../../domain/conversations';
import type { Deactivated } from '../../domain/users';
import { HttpError } from '../../http-error';
import type { Services } from '../../services';
import { causeOf } from '../cause';
import { viaConnection } from '../conversations/via-connection';

type Failed = NonNullable<UserChanged['chatwootUnassignFailed']>[number];

/** At most this many Chatwoot requests at once: a team's worth of conversations, without a burst. */
const AT_ONCE = 4;

/**
 * A deactivated agent's open Chatwoot conversations, unassigned here by the deactivation, are
 * unassigned in Chatwoot too (Chatwoot's own removal of an agent does, Agents::DestroyJob), through
 * the same call as POST /conversations/:id/assign: else Chatwoot kept them in the departed agent's
 * queue while the companion listed them as Unassigned. After the commit and best effort: the
 * deactivation stands whatever Chatwoot answers, and the admin is told which ones it did not take.
 * Chatwoot unreachable: the rest are not tried (each would wait for its own timeout), and are listed.
 * What Chatwoot put off (busy, down) and what was not tried is owed: each sync tries it again
 * (unassign-later.ts), as a step Chatwoot put off is tried again; a refusal is the admin's to settle.
 */
export async function unassignInChatwoot(services: Services, req: FastifyRequest, userId: string, ids: readonly string[]): Promise<Failed[]> {
  const failed: Failed[] = [];
  let down: string | null = null;
  const queue = [...ids];
  const one = async (id: string) => {
    const conversation = await getConversation(services.db, id).catch(() => null);
    // Deleted since (its contact merged away): nothing left to unassign.
    if (!conversation) return;
    const which = { conversationId: id, chatwootConversationId: conversation.externalId ?? null };
    // Assigned again since (someone took it, in Chatwoot or here): unassigning it there would undo that.
    if (conversation.assigneeId !== null) return;
    // With where the admin opens it in Chatwoot, to unassign it there by hand or to check.
    const left = async (reason: string, retrying: boolean) => {
      const url = (await chatwootInboxOf(services, conversation).catch(() => null))?.url;
      failed.push({ ...which, reason, retrying, ...(url ? { url } : {}) });
    };
    const later = async (reason: string) => left(reason, await owe(services, req, conversation, userId, reason));
    if (down) return later(`not tried: ${down}`);
    try {
      const there = await viaConnection(services, req, conversation, 'assign', { cause: causeOf(req) });
      await there?.invoke({ userId: null });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      // 503: Chatwoot put it off (busy, down), as the inbox's own Assign is told.
      if (err instanceof HttpError && err.statusCode === 503) {
        down = reason;
        return later(reason);
      }
      if (!(err instanceof HttpError)) req.log.warn({ err, conversationId: id }, 'unassigning in Chatwoot after a deactivation failed');
      await left(reason, false);
    }
  };
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) await one(id);
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, ids.length) }, worker));
  return failed.sort((a, b) => a.conversationId.localeCompare(b.conversationId));
}

/** Kept for the syncs to try again (unassign-later.ts); false when it could not be: the admin is then to do it. */
async function owe(services: Services, req: FastifyRequest, conversation: Conversation, userId: string, reason: string): Promise<boolean> {
  if (!conversation.connectionId || !conversation.externalId) return false;
  try {
    await oweUnassign(services.db, { connectionId: conversation.connectionId, displayId: conversation.externalId, conversationId: conversation.id }, userId, reason);
    return true;
  } catch (err) {
    req.log.warn({ err, conversationId: conversation.id }, 'an unassign Chatwoot put off could not be kept for later');
    return false;
  }
}

/** The admin's answer to a change of a user: a deactivation says what Chatwoot did not unassign. */
export async function answerUserChange(services: Services, req: FastifyRequest, changed: User & Partial<Deactivated>): Promise<UserChanged> {
  const { inChatwoot, ...user } = changed;
  if (!inChatwoot) return user;
  return { ...user, chatwootUnassignFailed: await unassignInChatwoot(services, req, user.id, inChatwoot) };
}
