import { ShortcutTrigger } from '../../../lib/contracts/triggers';
import type { LaunchBody, LaunchResult } from '../../../lib/contracts/shortcuts';
import type { User } from '../../../lib/contracts/users';
import { formSchema } from '../../../lib/workflow/form-schema';
import { inTransaction } from '../../events/unit-of-work';
import { conflict, forbidden, HttpError, issuesToDetails } from '../../http-error';
import type { Services } from '../../services';
import { parseDefinition } from '../workflows/records';
import { deactivatedUsers, shortcutPermission } from './list';
import { SHORTCUT_UNAVAILABLE } from '../../../lib/contracts/shortcuts';
import { deactivatedAssignees, deactivatedAssigneesText } from '../../../lib/workflow/deactivated-assignees';
import { shortcutUnavailable } from './unavailable';
import { addActivity } from '../../domain/activity';
import { shortcutNamed } from '../../domain/shortcut-label';
import { cachedDefaultCountry } from '../../domain/default-country';

/**
 * An agent launches a shortcut from a conversation: the form values are checked with the same
 * schema the extension uses, then a `shortcut.launched` event is recorded, whose dispatch
 * creates the run in the same transaction.
 */
export async function launchShortcut(services: Services, user: User, workflowId: string, body: LaunchBody): Promise<LaunchResult> {
  return inTransaction(services.db, async (uow) => {
    const permission = await shortcutPermission(uow.trx, user);
    if (!permission.allowed) throw forbidden(permission.reason);
    const row = await uow.trx.selectFrom('workflows').select(['definition', 'status', 'name'])
      .where('id', '=', workflowId).where('trigger_type', '=', 'shortcut').executeTakeFirst();
    if (!row || row.status !== 'published') throw await shortcutUnavailable(uow.trx, workflowId);
    const definition = parseDefinition(row.definition);
    const trigger = ShortcutTrigger.parse(definition.trigger);
    // Its Assign step names someone deactivated: refused before any step runs, rather than
    // sending its first messages and failing there (the menu marks it so: list.ts).
    const stuck = deactivatedAssignees(definition.steps, await deactivatedUsers(uow.trx));
    if (stuck.length) throw new HttpError(409, SHORTCUT_UNAVAILABLE, `“${trigger.name}” cannot run: ${deactivatedAssigneesText(stuck)}; an admin must choose someone else in its workflow`);

    const conversation = await uow.trx.selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .select(['conversations.id', 'conversations.contact_id', 'conversations.status', 'contacts.first_name', 'contacts.last_name', 'contacts.phone', 'contacts.email'])
      .where('conversations.id', '=', body.conversationId).executeTakeFirst();
    if (!conversation) {
      throw new HttpError(422, 'invalid_content', `There is no conversation ${body.conversationId}`,
        [{ path: 'conversationId', message: 'Unknown conversation' }]);
    }
    if (conversation.status !== 'open') {
      throw new HttpError(422, 'invalid_content', 'Shortcuts run in an open conversation; this one is closed',
        [{ path: 'conversationId', message: 'The conversation is closed' }]);
    }
    // National phone numbers read with the workspace's country, as the launcher's own check read them.
    const values = formSchema(trigger.form, { defaultCountry: await cachedDefaultCountry(services.db, uow.trx) }).safeParse(body.values);
    if (!values.success) {
      const details = issuesToDetails(values.error.issues, 'values');
      throw new HttpError(422, 'invalid_content', `The form is not filled in correctly: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
    }

    const { runIds } = await services.events.record(uow, {
      type: 'shortcut.launched',
      payload: { contactId: conversation.contact_id, conversationId: conversation.id, workflowId, values: values.data, launchedBy: user.id, launchedByName: user.name },
    }, { source: 'user' });
    const runId = runIds[0];
    // The only reason a published shortcut starts no run: it is limited to once per contact.
    if (!runId) throw conflict('This shortcut runs once per contact, and this contact has already been through it');
    // The conversation says who launched what (Chatwoot's activity messages): after a reload the
    // launcher's toast is gone, and a colleague never saw it. Its outcome follows in a line of the
    // run's when there is one to tell (failed, waiting to try again, stopped: run-activity.ts).
    // Named by the label the agent clicked, as the lines saying it stopped name it (shortcutNamed).
    await addActivity(uow, services, [{
      conversationId: conversation.id, contactId: conversation.contact_id, text: `${user.name} launched ${shortcutNamed(trigger.name, row.name)}`, author: { type: 'user', id: user.id },
    }]);
    const contactName = `${conversation.first_name} ${conversation.last_name}`.trim() || conversation.phone || conversation.email;
    return { runId, ...(contactName ? { contactName } : {}) };
  });
}
