import type { StartWorkflowBody } from '../../lib/contracts/apps';
import type { Principal } from '../auth/principal';
import { conflict, notFound } from '../http-error';
import { refuseNul } from '../http/refuse-nul';
import type { Services } from '../services';
import { readsContacts, resolveContactRef } from './contact-ref';
import { callerScope, keyedRequest, previousAck, recordKeyed, rememberUnmatched, type FireResult } from './keyed-event';

/**
 * "Send sub flow": an app (scope `workflows.start`) or an admin starts a published workflow whose
 * trigger is manual, for one contact, with variables that reach it as `{{$trigger.<name>}}`. The
 * same `workflow.started` event a Trigger-workflow step records, so once-per-contact, the loop
 * guard and per-(workflow, contact) ordering hold alike. An Idempotency-Key works as on Fire
 * Trigger (keyed-event.ts): a retry after a timeout is answered the first start, not run again.
 */
export async function startWorkflowFor(services: Services, principal: Principal | null, workflowId: string, body: StartWorkflowBody, idempotencyKey?: string): Promise<FireResult> {
  const { db } = services;
  refuseNul(body.variables, 'variables');
  const row = await db.selectFrom('workflows').select(['id', 'name', 'status', 'trigger_type']).where('id', '=', workflowId).executeTakeFirst();
  if (!row) throw notFound(`Workflow ${workflowId}`);
  // The caller's own keys, as on replies: an admin's "k-1" is not an app's.
  const keyed = keyedRequest(`start:${callerScope(principal)}:${workflowId}`, idempotencyKey, body);
  const hidden = !readsContacts(principal);
  const previous = await previousAck(services, keyed, hidden);
  if (previous) return previous;
  if (row.trigger_type !== 'manual' || row.status !== 'published') {
    throw conflict(`Workflow "${row.name}" cannot be started from outside: it must be published with the manual trigger ("started by another workflow")`);
  }
  const { contact } = await resolveContactRef(db, principal, body.contact);
  if (!contact) return rememberUnmatched(services, keyed);
  const by = principal?.kind === 'app' ? { byAppId: principal.appId } : { byUserId: principal?.kind === 'user' ? principal.user.id : undefined };
  return recordKeyed(services, keyed, hidden, { type: 'workflow.started', payload: { contactId: contact.id, workflowId, variables: body.variables, ...by } });
}
