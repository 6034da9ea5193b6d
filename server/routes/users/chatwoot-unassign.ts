import type { FastifyRequest } from 'fastify';
import type { User, UserChanged } from '../../../lib/contracts/users';
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
 */
export async function unassignInChatwoot(services: Services, req: FastifyRequest, ids: readonly string[]): Promise<Failed[]> {
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
    if (down) {
      failed.push({ ...which, reason: `not tried: ${down}` });
      return;
    }
    try {
      const there = await viaConnection(services, req, conversation, 'assign', { cause: causeOf(req) });
      await there?.invoke({ userId: null });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof HttpError && err.statusCode === 503) down = reason;
      else if (!(err instanceof HttpError)) req.log.warn({ err, conversationId: id }, 'unassigning in Chatwoot after a deactivation failed');
      failed.push({ ...which, reason });
    }
  };
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) await one(id);
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, ids.length) }, worker));
  return failed.sort((a, b) => a.conversationId.localeCompare(b.conversationId));
}

/** The admin's answer to a change of a user: a deactivation says what Chatwoot did not unassign. */
export async function answerUserChange(services: Services, req: FastifyRequest, changed: User & Partial<Deactivated>): Promise<UserChanged> {
  const { inChatwoot, ...user } = changed;
  if (!inChatwoot) return user;
  return { ...user, chatwootUnassignFailed: await unassignInChatwoot(services, req, inChatwoot) };
}
