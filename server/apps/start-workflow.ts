import type { StartWorkflowBody } from '../../lib/contracts/apps';
import type { Principal } from '../auth/principal';
import { inTransaction } from '../events/unit-of-work';
import { conflict, notFound } from '../http-error';
import { refuseNul } from '../http/refuse-nul';
import type { Services } from '../services';
import { HIDDEN_ACK, notesOf, resolveContactRef } from './contact-ref';

/**
 * "Send sub flow": an app (scope `workflows.start`) or an admin starts a published workflow whose
 * trigger is manual, for one contact, with variables that reach it as `{{$trigger.<name>}}`. The
 * same `workflow.started` event a Trigger-workflow step records, so once-per-contact, the loop
 * guard and per-(workflow, contact) ordering hold alike.
 */
export async function startWorkflowFor(services: Services, principal: Principal | null, workflowId: string, body: StartWorkflowBody) {
  const { db } = services;
  refuseNul(body.variables, 'variables');
  const row = await db.selectFrom('workflows').select(['id', 'name', 'status', 'trigger_type']).where('id', '=', workflowId).executeTakeFirst();
  if (!row) throw notFound(`Workflow ${workflowId}`);
  if (row.trigger_type !== 'manual' || row.status !== 'published') {
    throw conflict(`Workflow "${row.name}" cannot be started from outside: it must be published with the manual trigger ("started by another workflow")`);
  }
  const { contact, hidden } = await resolveContactRef(db, principal, body.contact);
  if (!contact) return HIDDEN_ACK;
  const by = principal?.kind === 'app' ? { byAppId: principal.appId } : { byUserId: principal?.kind === 'user' ? principal.user.id : undefined };
  let note: string | undefined;
  const ack = await inTransaction(db, (uow) => services.events.record(uow, {
    type: 'workflow.started',
    payload: { contactId: contact.id, workflowId, variables: body.variables, ...by },
  }, { source: 'api', onNote: (n) => { note = n; } }));
  services.runSignal.notify();
  return hidden ? HIDDEN_ACK : { ...ack, ...notesOf(note) };
}
