import type { Cause } from '../../domain/contacts';
import { RetryLaterError, StepError } from '../../engine/steps/define';
import { inTransaction } from '../../events/unit-of-work';
import type { ConnectorCall } from '../registry';
import { ChatwootApiError } from './api';
import { apiFor, openConnection, setSyncState } from './connections';
import { lockMirror, type MirrorContext } from './mirror-contact';
import type { ConversationState } from './mirror-conversation';
import { loadObject, saveObject } from './objects';

const workflowCause: Cause = { source: 'workflow' };

/** The call's API client, the conversation's Chatwoot number, and a way to log every request with its answer. */
export function session(call: ConnectorCall) {
  const conn = openConnection(call.services, call.connection);
  const api = apiFor(call.services, conn, call.cancellation);
  const displayId = Number(call.conversation.externalId);
  if (!Number.isInteger(displayId) || displayId <= 0) throw new StepError(`Conversation ${call.conversation.id} has no Chatwoot conversation number`);
  const logged = () => {
    const calls = api.calls.map((c) => ({ request: `${c.method} ${c.path}`, status: c.status, answer: c.answer }));
    for (const c of calls) call.note(`Chatwoot ${c.request} → ${c.status ?? 'no answer'} ${c.answer}`);
    return calls;
  };
  const mirror = <R>(fn: (ctx: MirrorContext) => Promise<R>) => inTransaction(call.services.db, async (uow) => {
    const ctx: MirrorContext = { uow, services: call.services, conn, notes: [] };
    await lockMirror(ctx);
    return fn(ctx);
  });
  return { conn, api, displayId, logged, mirror, services: call.services, cause: call.cause ?? workflowCause, once: call.once ?? (<R>(fn: () => Promise<R>) => fn()) };
}
export type Session = ReturnType<typeof session>;

/**
 * Runs the Chatwoot calls of a step that may safely be repeated (labels, attributes, assignment,
 * status: doing it twice is doing it once); a refusal becomes the step's error, with the calls in
 * the log, and Chatwoot being busy or down puts the step off for later. The StepError keeps
 * Chatwoot's error as its `cause`: the inbox's routes answer a refusal apart from the companion's own.
 */
export async function guarded<R>(s: Session, fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (err) {
    s.logged();
    if (err instanceof ChatwootApiError) {
      await noteRefusedToken(s, err);
      throw err.transient ? new RetryLaterError(err.message, err.retryAfterMs) : new StepError(err.message, { cause: err });
    }
    throw err;
  }
}

/**
 * A token Chatwoot refuses (revoked, or its user removed) marks the account where the admin looks
 * (Settings → Chatwoot), at once rather than at the next reconcile (which may be off); a new token
 * (PATCH) or a reconcile that works clears it.
 */
export async function noteRefusedToken(s: Session, err: ChatwootApiError) {
  if (err.reason === 'unauthorized') await setSyncState(s.services.db, s.conn.row.id, { error: err.message });
}

export async function setMirrorState(ctx: MirrorContext, displayId: number, patch: Partial<ConversationState>) {
  const stored = await loadObject<ConversationState>(ctx.uow.trx, ctx.conn.row.id, 'conversation', displayId);
  const state = { status: stored?.state.status ?? 'open', labels: stored?.state.labels ?? [], ...patch };
  await saveObject(ctx.uow.trx, ctx.conn.row.id, 'conversation', displayId, stored?.version ?? 0, state, stored?.companionId ?? null);
}
