import { getClosingCategories } from '../../domain/closing-categories';
import { updateContact } from '../../domain/contacts';
import { addMessage, assignConversation, closeConversation, findOpenConversation, getConversation, toMessage } from '../../domain/conversations';
import { RetryLaterError, StepError } from '../../engine/steps/define';
import { nowIso } from '../../ids';
import { fromJson, isUniqueViolation, toJson } from '../../store/database';
import type { ChatwootApi } from './api';
import { ChatwootApiError } from './api';
import { botTokenOf, KIND } from './connections';
import { markBotRefused } from './agent-bot';
import { changeLabelsAndTags } from './labels';
import { contactIdOf, cwContactIdOf } from './mirror-contact';
import { setStandardField } from './contact-standard';
import { holdsContact, setContactField } from './contact-step';
import { openMirror } from './mirror-conversation';
import { preRecord, restore } from './pending-state';
import { guarded, noteRefusedToken, session, setMirrorState, type Session } from './session';
import { registerConnector, type Connector, type ConnectorCall, type ConnectorOutput } from '../registry';

/**
 * Messages and notes: Chatwoot has no idempotency key, so the attempt is recorded before the POST;
 * a step repeated after a crash finds the attempt and does not post again (it says so instead),
 * and a repeat after it was posted and stored (an inbox request sent again with its
 * Idempotency-Key) answers what was stored.
 */
async function post(call: ConnectorCall, text: string, isPrivate: boolean): Promise<ConnectorOutput> {
  const s = session(call);
  return s.once(async () => {
    const marker = `${call.idempotencyKey}:attempt`;
    try {
      await call.services.db.insertInto('step_effects').values({ key: marker, result: '"attempted"', created_at: nowIso() }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const done = await call.services.db.selectFrom('step_effects').select('result').where('key', '=', marker).executeTakeFirst();
      const output = fromJson<unknown>(done?.result ?? null, null);
      if (output && typeof output === 'object') return output as ConnectorOutput;
      throw new StepError(`An earlier attempt to post this ${isPrivate ? 'note' : 'message'} to Chatwoot conversation ${s.displayId} may have arrived (the companion stopped before the answer); not posted again, to avoid a duplicate`);
    }
    let created;
    try {
      created = await createAs(call, s, text, isPrivate);
    } catch (err) {
      // Chatwoot answered no (or could not be reached at all): nothing was posted, a later try may post.
      if (err instanceof ChatwootApiError && err.noEffect) await call.services.db.deleteFrom('step_effects').where('key', '=', marker).execute();
      s.logged();
      if (!(err instanceof ChatwootApiError)) throw err;
      await noteRefusedToken(s, err);
      // Busy or down and nothing posted: the run tries again later. A request that may have
      // arrived (the connection dropped mid-way) is never repeated: the marker stays.
      throw err.transient && err.noEffect ? new RetryLaterError(err.message, err.retryAfterMs) : new StepError(err.message, { cause: err });
    }
    const externalId = String(created.id);
    const author = call.author ?? { type: 'workflow' as const, id: null };
    const local = await s.mirror(async ({ uow, services }) => {
      // Chatwoot's echo (message_created) may have come in first and stored it as an agent's
      // message: that row is this message, told who wrote it, not stored twice.
      const echoed = await uow.trx.selectFrom('messages').selectAll().where('connection_id', '=', s.conn.row.id).where('external_id', '=', externalId).executeTakeFirst();
      if (echoed) {
        const by = { author_type: author.type, author_id: author.id, author_name: author.type !== 'user' ? author.name?.slice(0, 200) ?? null : null, delivery_status: 'sent' };
        await uow.trx.updateTable('messages').set(by).where('id', '=', echoed.id).execute();
        return toMessage({ ...echoed, ...by });
      }
      return addMessage(uow, services, call.conversation.id, {
        text, direction: 'outgoing', kind: isPrivate ? 'comment' : 'message', author,
        channel: { connectionId: s.conn.row.id, externalId, deliveryStatus: 'sent' },
      }, s.cause);
    });
    const output = { messageId: local.id, chatwootMessageId: created.id, conversationId: call.conversation.id, chatwoot: s.logged() };
    await call.services.db.updateTable('step_effects').set({ result: toJson(output) }).where('key', '=', marker).execute();
    return output;
  });
}

/**
 * What a workflow or an app writes is created with the account agent bot's token (agent-bot.ts),
 * so Chatwoot shows the bot as its writer; a person's reply written here stays the connected
 * user's. A 401 to the bot's token created nothing (Chatwoot refuses before the controller runs),
 * so the same attempt writes it with the administrator's token, once: never lost, never twice.
 */
async function createAs(call: ConnectorCall, s: Session, text: string, isPrivate: boolean) {
  const botToken = call.author?.type === 'user' ? null : botTokenOf(s.conn);
  if (botToken) {
    try {
      return await s.api.withToken(botToken).createMessage(s.displayId, text, isPrivate);
    } catch (err) {
      if (!(err instanceof ChatwootApiError) || err.status !== 401) throw err;
      await markBotRefused(call.services, s.conn.row.id, err);
      call.note(`Chatwoot refused the agent bot's token; written with the connected user's token instead`);
    }
  }
  return s.api.createMessage(s.displayId, text, isPrivate);
}

async function reopenLatest(call: ConnectorCall, s: Session, contactId: string) {
  const toggled = await s.api.toggleStatus(s.displayId, 'open');
  const opened = await s.mirror(async (ctx) => {
    // Chatwoot's echo (conversation_status_changed) may have opened it here first.
    const open = await findOpenConversation(ctx.uow.trx, contactId);
    if (open) return open.id;
    const id = await openMirror(ctx, contactId, s.displayId, s.cause, null);
    await setMirrorState(ctx, s.displayId, { status: toggled.current_status });
    return id;
  });
  return { conversationId: opened, status: toggled.current_status, chatwoot: s.logged() };
}

/** Companion users map to Chatwoot agents by email. */
async function agentFor(call: ConnectorCall, api: ChatwootApi, userId: string) {
  const user = await call.services.db.selectFrom('users').select(['name', 'email', 'deactivated_at']).where('id', '=', userId).executeTakeFirst();
  if (!user) throw new StepError(`No companion user ${userId} to assign`);
  if (user.deactivated_at) throw new StepError(`${user.name} is deactivated and cannot be assigned; assign someone else, or reactivate them under Settings → Users`);
  const agent = (await api.agents()).find((a) => a.email?.toLowerCase() === user.email.toLowerCase());
  if (!agent) throw new StepError(`No Chatwoot agent has the email ${user.email} of ${user.name}: Chatwoot agents are matched by email; invite them to the Chatwoot account or use the same email`);
  return agent;
}

export const chatwootConnector: Connector = {
  kind: KIND,
  sendMessage: (call, { text }) => post(call, text, false),
  addNote: (call, { text }) => post(call, text, true),

  changeTags: changeLabelsAndTags,
  setStandardField,
  // A contact that lives in Chatwoot with no Chatwoot conversation open (contact-step.ts).
  holdsContact,
  setContactField,

  /**
   * A custom field is the Chatwoot contact's custom attribute with the same key. Recorded in the
   * applied state before Chatwoot is asked, as contact-standard.ts does: Chatwoot's contact_updated
   * echo may arrive before its answer, and must not count as an agent's change.
   */
  async setField(call, { field, value }) {
    const s = session(call);
    return s.once(() => guarded(s, async () => {
      const cwContactId = (await s.mirror((ctx) => cwContactIdOf(ctx, call.conversation.contactId))) ?? (await s.api.conversation(s.displayId)).meta.sender.id;
      const pending = { custom_attributes: { [field]: value } };
      const previous = await s.mirror((ctx) => preRecord(ctx, cwContactId, pending));
      try {
        if (value === null) await s.api.removeContactAttributes(cwContactId, [field]);
        else await s.api.updateContactAttributes(cwContactId, { [field]: value });
      } catch (err) {
        // A request that may have arrived (a 502 after the save) keeps the new value: its echo is ours.
        if (!(err instanceof ChatwootApiError) || err.noEffect) await s.mirror((ctx) => restore(ctx, cwContactId, pending, previous));
        throw err;
      }
      await s.mirror((ctx) => updateContact(ctx.uow, ctx.services, call.conversation.contactId, { fields: { [field]: value } }, s.cause));
      return { field, newValue: value, chatwootContactId: cwContactId, chatwoot: s.logged() };
    }));
  },

  async assign(call, { userId }) {
    const s = session(call);
    return s.once(() => guarded(s, async () => {
      const agent = userId ? await agentFor(call, s.api, userId) : null;
      const answer = await s.api.assign(s.displayId, agent?.id ?? null);
      await s.mirror((ctx) => assignConversation(ctx.uow, ctx.services, call.conversation.id, userId, s.cause));
      return { conversationId: call.conversation.id, assigneeId: userId, chatwootAgentId: answer?.id ?? null, chatwoot: s.logged() };
    }));
  },

  /**
   * Listed users no Chatwoot agent has the email of (removed from the account, never invited):
   * Chatwoot's own round robin only ever picks its agents, so a pick skips them rather than fail
   * on them. Chatwoot not answering names nobody: the assignment then says what went wrong.
   */
  async cannotTake(call, { userIds }) {
    const users = await call.services.db.selectFrom('users').select(['id', 'email']).where('id', 'in', [...userIds]).execute();
    let emails: Set<string>;
    try {
      emails = new Set((await session(call).api.agents()).flatMap((a) => (a.email ? [a.email.toLowerCase()] : [])));
    } catch (err) {
      if (!(err instanceof ChatwootApiError)) throw err;
      call.note(`Chatwoot's agents could not be read (${err.message}); nobody was skipped for having no agent there`);
      return new Map();
    }
    return new Map(users.filter((u) => !emails.has(u.email.toLowerCase())).map((u) => [u.id, `no Chatwoot agent with ${u.email}`]));
  },

  async assignTeam(call, { teamId }) {
    const s = session(call);
    return s.once(() => guarded(s, async () => {
      // Chatwoot unsets the team for an id it has no team of (and answers null): refuse that here.
      const teams = await s.api.teams();
      const team = teams.find((t) => t.id === teamId);
      if (!team) throw new StepError(`The Chatwoot account ${s.conn.row.name} has no team ${teamId}${teams.length ? `; its teams: ${teams.map((t) => `${t.name} (${t.id})`).join(', ')}` : ' (it has no teams)'}: choose one of them in the workflow`);
      await s.api.assignTeam(s.displayId, teamId);
      call.note(`Assigned to the team ${team.name} in Chatwoot`);
      return { conversationId: call.conversation.id, chatwootTeam: { id: team.id, name: team.name }, chatwoot: s.logged() };
    }));
  },

  async close(call, { category, summary }) {
    const s = session(call);
    return s.once(() => guarded(s, async () => {
      if (category) {
        const { categories } = await getClosingCategories(call.services.db);
        if (categories.length > 0 && !categories.includes(category)) throw new StepError(`Unknown closing category "${category}"; use one of: ${categories.join(', ')}`);
      }
      const toggled = await s.api.toggleStatus(s.displayId, 'resolved');
      await s.mirror(async (ctx) => {
        // Chatwoot's echo (conversation_status_changed) may have closed it here first: it keeps
        // this close's category and summary (its Closed event has fired without them).
        if ((await getConversation(ctx.uow.trx, call.conversation.id)).status === 'closed') {
          await ctx.uow.trx.updateTable('conversations').set({ category, summary }).where('id', '=', call.conversation.id).where('category', 'is', null).execute();
        } else await closeConversation(ctx.uow, ctx.services, call.conversation.id, { category, summary }, s.cause);
        await setMirrorState(ctx, s.displayId, { status: toggled.current_status });
      });
      return { closed: true, conversationId: call.conversation.id, category, summary, status: toggled.current_status, chatwoot: s.logged() };
    }));
  },

  async reopen(call) {
    const s = session(call);
    return s.once(() => guarded(s, () => reopenLatest(call, s, call.conversation.contactId)));
  },
};

export { contactIdOf };
registerConnector(chatwootConnector);
