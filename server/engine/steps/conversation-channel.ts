import type { Contact } from '../../../lib/contracts/contacts';
import type { Conversation } from '../../../lib/contracts/conversations';
import { isChannelKind } from '../../channels/connections';
import { onChannelColumns } from '../../domain/conversation-place';
import { conversationWritten, getConversation } from '../../domain/conversations';
import type { UnitOfWork } from '../../events/unit-of-work';
import type { Executor } from '../../store/database';
import type { ConnectionsTable } from '../../store/schema';
import type { StepContext } from './define';

// Which WhatsApp number or Facebook Page a workflow's conversation goes through when the customer
// has not written there (yet). respond.io sends a WhatsApp template to a phone number, opening a
// business-initiated conversation; Messenger can only answer a person who wrote to the Page.
// https://developers.facebook.com/docs/whatsapp/conversation-types#customer-service-window (a template starts one)
// https://developers.facebook.com/docs/messenger-platform/reference/send-api (the recipient is a Page-scoped id, given when the person writes)

export interface ChannelTarget { connectionId: string; externalId: string; kind: 'whatsapp' | 'messenger'; name: string }

const who = (c: Contact) => `${c.firstName} ${c.lastName}`.trim() || c.email || 'The contact';
/** WhatsApp takes the number with its country code, digits only. */
const waIdOfPhone = (phone: string) => phone.replace(/\D/g, '');

/** The contact on a connected channel, or why not (in words for the run's log). */
export async function channelTarget(db: Executor, contact: Contact, connectionId: string): Promise<ChannelTarget | { error: string }> {
  const row = await db.selectFrom('connections').selectAll().where('id', '=', connectionId).executeTakeFirst();
  if (!row || !isChannelKind(row.kind)) return { error: `The channel chosen in this step (${connectionId}) is not connected any more: choose another one in the step` };
  return row.kind === 'whatsapp' ? onWhatsApp(row, contact) : onMessenger(db, row, contact);
}

function onWhatsApp(row: ConnectionsTable, contact: Contact): ChannelTarget | { error: string } {
  if (!contact.phone) return { error: `${who(contact)} has no phone number: a WhatsApp conversation on "${row.name}" needs one` };
  return { connectionId: row.id, externalId: waIdOfPhone(contact.phone), kind: 'whatsapp', name: row.name };
}

/** A PSID is the person's id for one Page: only a conversation on that Page gives it. */
async function onMessenger(db: Executor, row: ConnectionsTable, contact: Contact): Promise<ChannelTarget | { error: string }> {
  const known = await db.selectFrom('conversations').select('external_id').where('contact_id', '=', contact.id)
    .where('connection_id', '=', row.id).where('external_id', 'is not', null).orderBy('opened_at', 'desc').executeTakeFirst();
  if (!known?.external_id) return { error: `${who(contact)} has never written to the Page "${row.name}": Messenger only reaches people who wrote to the Page first` };
  return { connectionId: row.id, externalId: known.external_id, kind: 'messenger', name: row.name };
}

/** Puts the open conversation on the channel: replies and the workflow's messages go there from now on. */
export async function moveConversation(uow: UnitOfWork, conversationId: string, target: ChannelTarget): Promise<Conversation> {
  await uow.trx.updateTable('conversations').set(onChannelColumns(target)).where('id', '=', conversationId).execute();
  conversationWritten(uow);
  return getConversation(uow.trx, conversationId);
}

/**
 * A WhatsApp template sent on a conversation kept in the built-in inbox. With one WhatsApp number
 * connected, the conversation moves onto it (the contact's phone is the recipient) and the
 * template goes to Meta; with several, the step cannot guess which. Undefined: no WhatsApp number
 * is connected, the built-in inbox is the only place (the template is stored as text, as before).
 */
export async function channelForTemplate(ctx: Pick<StepContext, 'contact' | 'db' | 'note'>, conversation: Conversation):
Promise<{ conversation: Conversation; connection: ConnectionsTable } | { error: string } | undefined> {
  const numbers = await ctx.db((uow) => uow.trx.selectFrom('connections').selectAll().where('kind', '=', 'whatsapp').orderBy('id').execute());
  if (numbers.length === 0) return undefined;
  if (numbers.length > 1) {
    return { error: `Not sent: the conversation is in the built-in inbox and ${numbers.length} WhatsApp numbers are connected (${numbers.map((n) => `"${n.name}"`).join(', ')}): choose the number in an "Open conversation" step before this one` };
  }
  const target = onWhatsApp(numbers[0]!, ctx.contact);
  if ('error' in target) return { error: `Not sent: ${target.error} to receive a WhatsApp template` };
  const moved = await ctx.db((uow) => moveConversation(uow, conversation.id, target));
  ctx.note(`The conversation was in the built-in inbox: it moved to the WhatsApp number "${target.name}" so the template goes to ${ctx.contact.phone} (a business-initiated conversation)`);
  return { conversation: moved, connection: numbers[0]! };
}

/** Whether a send on this conversation may need Meta: it lives on a channel, or it is built-in while a WhatsApp number is connected. */
export async function mayUseChannel(conversation: Conversation | null, db: Executor): Promise<boolean> {
  if (!conversation) return false;
  if (conversation.connectionId) return true;
  if (conversation.externalId) return false;
  return !!(await db.selectFrom('connections').select('id').where('kind', '=', 'whatsapp').limit(1).executeTakeFirst());
}
