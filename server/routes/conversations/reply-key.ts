import type { FastifyRequest } from 'fastify';
import { HttpError } from '../../http-error';
import { newId } from '../../ids';

/**
 * The send key of an inbox request (`messages.send_key`, Chatwoot's attempt marker). An
 * Idempotency-Key is the caller's own, as Stripe's are per account: two agents (or apps) who
 * both pick "reply-1" send two messages. The key once held the header alone, and the second
 * agent was answered the first one's message, on another customer's conversation.
 */
export function inboxSendKey(req: FastifyRequest, idempotency: string | null): string {
  if (!idempotency) return `inbox:${newId('send')}`;
  const p = req.principal;
  const caller = p?.kind === 'user' ? p.user.id : p?.kind === 'app' ? p.installationId : 'anonymous';
  return `inbox:${caller}:${idempotency}`;
}

/**
 * The caller's key came with another request before: the first answer is given only to the same
 * request on the same conversation (a retry); anything else is refused, never answered with the
 * earlier message.
 */
export function refuseOtherUse(earlier: { conversationId: string; same: boolean }, conversationId: string): void {
  if (earlier.conversationId !== conversationId) {
    throw new HttpError(409, 'idempotency_key_reused',
      'This Idempotency-Key was already used for a reply on another conversation; send a new key for a new request, or repeat the same request to get the first answer');
  }
  if (!earlier.same) {
    throw new HttpError(409, 'idempotency_key_reused',
      'This Idempotency-Key was already used for another reply; send a new key for a new request, or repeat the same body to get the first answer');
  }
}
