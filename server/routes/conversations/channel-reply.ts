import type { FastifyRequest } from 'fastify';
import type { Conversation, Message } from '../../../lib/contracts/conversations';
import type { WhatsAppTemplateRef } from '../../../lib/contracts/whatsapp-template-ref';
import { sendAgentReply } from '../../channels/agent-reply';
import type { Replier } from '../../channels/agent-reply-policy';
import { checkAgentTemplate } from '../../channels/agent-template';
import { isChannelKind } from '../../channels/connections';
import { badTemplate, templateSpec, type SendSpec } from '../../channels/send-spec';
import { closedForReplies } from '../../domain/closed-conversations';
import { toMessage } from '../../domain/conversations';
import { HttpError } from '../../http-error';
import type { Services } from '../../services';
import { toJson } from '../../store/database';
import { causeOf } from '../cause';
import { inboxSendKey, refuseOtherUse } from './reply-key';
import { messageAuthorOf } from '../../apps/message-author';

const asIs = (s: string) => s;
const refused = (message: string, path: string) => new HttpError(422, 'channel_refused', message, [{ path, message }]);

/** Who replies: a person may use Messenger's Human Agent tag; a bot user or an app key may not. */
export function replierOfRequest(req: FastifyRequest): Replier & { userId: string | null } {
  const p = req.principal;
  return p?.kind === 'user' ? { userId: p.user.id, human: p.user.kind !== 'bot' } : { userId: null, human: false };
}

/**
 * An agent's reply on a WhatsApp / Messenger conversation, to the customer (agent-reply.ts). An
 * Idempotency-Key header makes a retried request send once (its repeat answers the message as it
 * stands); without one each request is new. Meta refusing for now is not an error here: the
 * message answers `retrying` and is tried again in the background.
 */
export async function replyThroughChannel(services: Services, req: FastifyRequest, conversation: Conversation & { connectionId: string }, spec: SendSpec, idempotency: string | null): Promise<Message> {
  const path = spec.kind === 'template' ? 'body.template' : 'body.text';
  const connection = await services.db.selectFrom('connections').selectAll().where('id', '=', conversation.connectionId).executeTakeFirst();
  if (!connection || !isChannelKind(connection.kind)) throw refused('The conversation’s channel was disconnected; connect it again to send', path);
  const sendKey = inboxSendKey(req, idempotency);
  let shownAs: string | undefined;
  const earlier = await services.db.selectFrom('messages').selectAll().where('send_key', '=', sendKey).executeTakeFirst();
  if (earlier) {
    // The reply as first asked (`reply_sends`, kept a few days); past that, the conversation alone is compared.
    const asked = await services.db.selectFrom('reply_sends').select('spec').where('send_key', '=', sendKey).executeTakeFirst();
    refuseOtherUse({ conversationId: earlier.conversation_id, same: !asked || asked.spec === toJson(spec) }, conversation.id);
    return toMessage(earlier);
  }
  if (spec.kind === 'template' && connection.kind === 'whatsapp') {
    // The values are the agent's own words, sent as typed: what Meta would refuse in them is said first.
    const problem = badTemplate(spec);
    if (problem) throw refused(problem, path);
    const checked = await checkAgentTemplate(services, connection.id, spec.template!);
    if ('error' in checked) throw refused(checked.error, path);
    shownAs = checked.shownAs;
  }
  const outcome = await sendAgentReply(services, {
    connection, conversation, spec, sendKey, by: replierOfRequest(req), author: await messageAuthorOf(services.db, req.principal), cause: causeOf(req),
    note: (m) => req.log.info({ conversationId: conversation.id }, m), ...(shownAs !== undefined ? { shownAs } : {}),
  });
  if ('error' in outcome) throw refused(outcome.error, path);
  return toMessage(outcome.message);
}

/** `{ template }` on POST /conversations/:id/messages: only on an open WhatsApp conversation. */
export async function postTemplateReply(services: Services, req: FastifyRequest, conversation: Conversation, template: WhatsAppTemplateRef, idempotency: string | null): Promise<Message> {
  const connection = conversation.connectionId
    ? await services.db.selectFrom('connections').select('kind').where('id', '=', conversation.connectionId).executeTakeFirst()
    : undefined;
  if (connection?.kind !== 'whatsapp') {
    throw refused('Message templates are WhatsApp’s: this conversation is not on a WhatsApp number, so write your reply as text', 'body.template');
  }
  if (conversation.status === 'closed') throw await closedForReplies(services.db, conversation);
  return replyThroughChannel(services, req, { ...conversation, connectionId: conversation.connectionId! }, templateSpec(template, asIs, asIs), idempotency);
}
