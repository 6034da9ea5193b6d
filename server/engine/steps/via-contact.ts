import type { Conversation } from '../../../lib/contracts/conversations';
import { connectorsHoldingContact, heldByAConnector, type ConnectorOutput, type ContactCall, type ContactFieldWrite } from '../../connectors/registry';
import type { Executor } from '../../store/database';
import type { StepContext } from './define';
import { outsideWhenConnected } from './via-connector';

/**
 * A step writing the contact's fields runs outside a transaction on a connected conversation, and
 * also when the contact lives in Chatwoot with no Chatwoot conversation open: its Chatwoot contact
 * is written first, as an agent's edit of it is (PATCH /contacts/:id), or the next sync and the
 * agent there would never see the change. A plain answer, no promise, while no Chatwoot account is
 * connected: the run round asks for each such step (step-start.ts, runsOutside).
 */
export const outsideForContactWrite = (conversation: Conversation | null, contact: { contactId: string; db: Executor }): boolean | Promise<boolean> =>
  outsideWhenConnected(conversation) || heldByAConnector(contact.db, contact.contactId);

/**
 * The write made where the contact lives (there, then here), when no conversation's connector took
 * it; undefined when it lives nowhere else, or the step runs in a transaction (it may not wait on
 * an outside system then: the contact became Chatwoot's after the executor chose), so it writes locally.
 */
export async function viaContactConnector(ctx: Pick<StepContext, 'services' | 'run' | 'idempotencyKey' | 'note' | 'cause' | 'once' | 'cancellation' | 'outside'>, write: ContactFieldWrite): Promise<ConnectorOutput | undefined> {
  if (!ctx.outside) return undefined;
  const call: ContactCall = {
    services: ctx.services, contactId: ctx.run.contactId, idempotencyKey: ctx.idempotencyKey, note: ctx.note,
    cause: ctx.cause, once: ctx.once, cancellation: ctx.cancellation,
  };
  // Chatwoot is the one kind that holds contacts apart from conversations.
  const [connector] = await connectorsHoldingContact(ctx.services.db, ctx.run.contactId);
  return connector?.setContactField?.(call, write);
}
