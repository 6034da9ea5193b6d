import type { FieldValue } from '../../../lib/contracts/contacts';
import { applyTags, hasTag, tagFold } from '../../../lib/workflow/tags';
import { getClosingCategories } from '../../domain/closing-categories';
import { changeTags, updateContact, type Cause } from '../../domain/contacts';
import { addMessage, assignConversation, closeConversation, findOpenConversation } from '../../domain/conversations';
import { RetryLaterError, StepError } from '../../engine/steps/define';
import { inTransaction } from '../../events/unit-of-work';
import { nowIso } from '../../ids';
import { isUniqueViolation } from '../../store/database';
import type { ChatwootApi } from './api';
import { ChatwootApiError } from './api';
import { apiFor, KIND, openConnection, setSyncState } from './connections';
import { contactIdOf, lockMirror, type ContactState, type MirrorContext } from './mirror-contact';
import { openMirror, type ConversationState } from './mirror-conversation';
import { loadObject, saveObject } from './objects';
import { registerConnector, type Connector, type ConnectorCall, type ConnectorOutput } from '../registry';

const workflowCause: Cause = { source: 'workflow' };

/** The call's API client, the conversation's Chatwoot number, and a way to log every request with its answer. */
function session(call: ConnectorCall) {
  const conn = openConnection(call.services, call.connection);
  const api = apiFor(call.services, conn);
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

/**
 * Runs the Chatwoot calls of a step that may safely be repeated (labels, attributes, assignment,
 * status: doing it twice is doing it once); a refusal becomes the step's error, with the calls in
 * the log, and Chatwoot being busy or down puts the step off for later.
 */
async function guarded<R>(s: ReturnType<typeof session>, fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (err) {
    s.logged();
    if (err instanceof ChatwootApiError) {
      await noteRefusedToken(s, err);
      throw err.transient ? new RetryLaterError(err.message, err.retryAfterMs) : new StepError(err.message);
    }
    throw err;
  }
}

/**
 * A token Chatwoot refuses (revoked, or its user removed) marks the account where the admin looks
 * (Settings → Chatwoot), at once rather than at the next reconcile (which may be off); a new token
 * (PATCH) or a reconcile that works clears it.
 */
async function noteRefusedToken(s: ReturnType<typeof session>, err: ChatwootApiError) {
  if (err.reason === 'unauthorized') await setSyncState(s.services.db, s.conn.row.id, { error: err.message });
}

/**
 * Messages and notes: Chatwoot has no idempotency key, so the attempt is recorded before the POST;
 * a step repeated after a crash finds the attempt and does not post again (it says so instead).
 */
async function post(call: ConnectorCall, text: string, isPrivate: boolean): Promise<ConnectorOutput> {
  const s = session(call);
  return s.once(async () => {
    const marker = `${call.idempotencyKey}:attempt`;
    try {
      await call.services.db.insertInto('step_effects').values({ key: marker, result: '"attempted"', created_at: nowIso() }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new StepError(`An earlier attempt to post this ${isPrivate ? 'note' : 'message'} to Chatwoot conversation ${s.displayId} may have arrived (the companion stopped before the answer); not posted again, to avoid a duplicate`);
    }
    let created;
    try {
      created = await s.api.createMessage(s.displayId, text, isPrivate);
    } catch (err) {
      // Chatwoot answered no (or could not be reached at all): nothing was posted, a later try may post.
      if (err instanceof ChatwootApiError && err.noEffect) await call.services.db.deleteFrom('step_effects').where('key', '=', marker).execute();
      s.logged();
      if (!(err instanceof ChatwootApiError)) throw err;
      await noteRefusedToken(s, err);
      // Busy or down and nothing posted: the run tries again later. A request that may have
      // arrived (the connection dropped mid-way) is never repeated: the marker stays.
      throw err.transient && err.noEffect ? new RetryLaterError(err.message, err.retryAfterMs) : new StepError(err.message);
    }
    const local = await s.mirror(async ({ uow, services }) => {
      const m = await addMessage(uow, services, call.conversation.id, { text, direction: 'outgoing', kind: isPrivate ? 'comment' : 'message', author: call.author ?? { type: 'workflow', id: null } }, s.cause);
      await uow.trx.updateTable('messages').set({ connection_id: s.conn.row.id, external_id: String(created.id), delivery_status: 'sent' }).where('id', '=', m.id).execute();
      return m;
    });
    return { messageId: local.id, chatwootMessageId: created.id, conversationId: call.conversation.id, chatwoot: s.logged() };
  });
}

/**
 * Labels: POST …/labels replaces the whole list. Read it until two reads agree (an agent or
 * automation changing it meanwhile is seen), write the union / difference, and keep what Chatwoot
 * answers; labels the account does not define are dropped by Chatwoot and said so.
 */
async function writeLabels(s: ReturnType<typeof session>, action: 'add' | 'remove', tags: string[]) {
  let current = await s.api.labels(s.displayId);
  for (let i = 0; i < 5; i++) {
    const again = await s.api.labels(s.displayId);
    const stable = again.length === current.length && again.every((l) => current.includes(l));
    current = again;
    if (stable) break;
  }
  // Chatwoot account labels are lowercase and a posted label must match one exactly
  // (Label#before_validation, LabelConcern#valid_labels); a tag is the label in any case.
  const target = applyTags(current, action, action === 'add' ? tags.map(tagFold) : tags).tags;
  const unchanged = target.length === current.length && target.every((l) => current.includes(l));
  const answer = unchanged ? current : await s.api.setLabels(s.displayId, target);
  return { before: current, after: answer };
}

async function reopenLatest(call: ConnectorCall, s: ReturnType<typeof session>, contactId: string) {
  const toggled = await s.api.toggleStatus(s.displayId, 'open');
  const opened = await s.mirror(async (ctx) => {
    if (await findOpenConversation(ctx.uow.trx, contactId)) return undefined;
    const id = await openMirror(ctx, contactId, s.displayId, s.cause, null);
    await setMirrorState(ctx, s.displayId, { status: toggled.current_status });
    return id;
  });
  return { conversationId: opened ?? call.conversation.id, status: toggled.current_status, chatwoot: s.logged() };
}

async function setMirrorState(ctx: MirrorContext, displayId: number, patch: Partial<ConversationState>) {
  const stored = await loadObject<ConversationState>(ctx.uow.trx, ctx.conn.row.id, 'conversation', displayId);
  const state = { status: stored?.state.status ?? 'open', labels: stored?.state.labels ?? [], ...patch };
  await saveObject(ctx.uow.trx, ctx.conn.row.id, 'conversation', displayId, stored?.version ?? 0, state, stored?.companionId ?? null);
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

  async changeTags(call, { action, tags }) {
    const s = session(call);
    return s.once(() => guarded(s, async () => {
      const { before, after } = await writeLabels(s, action, tags);
      const changed = action === 'add' ? after.filter((l) => !before.includes(l)) : before.filter((l) => !after.includes(l));
      const refused = action === 'add' ? tags.filter((t) => !hasTag(after, t)) : [];
      if (refused.length) call.note(`Chatwoot kept no label ${refused.map((t) => `"${t}"`).join(', ')}: the account does not define ${refused.length > 1 ? 'them' : 'it'} (Chatwoot → Settings → Labels)`);
      await s.mirror(async (ctx) => {
        if (changed.length) await changeTags(ctx.uow, ctx.services, call.conversation.contactId, action, changed, s.cause);
        // Only this step's change counts as applied: labels someone else set meanwhile still
        // arrive (webhook or reconcile) as changes, and become tags then.
        const stored = await loadObject<ConversationState>(ctx.uow.trx, s.conn.row.id, 'conversation', s.displayId);
        const known = stored?.state.labels ?? before;
        await setMirrorState(ctx, s.displayId, { labels: action === 'add' ? [...new Set([...known, ...changed])] : known.filter((l) => !changed.includes(l)) });
      });
      return { action, changed, labels: after, chatwoot: s.logged() };
    }));
  },

  async setField(call, { field, value }) {
    const s = session(call);
    return s.once(() => guarded(s, async () => {
      const cwContactId = (await s.mirror((ctx) => cwContactOf(ctx, call.conversation.contactId))) ?? (await s.api.conversation(s.displayId)).meta.sender.id;
      if (value === null) await s.api.removeContactAttributes(cwContactId, [field]);
      else await s.api.updateContactAttributes(cwContactId, { [field]: value });
      await s.mirror(async (ctx) => {
        await updateContact(ctx.uow, ctx.services, call.conversation.contactId, { fields: { [field]: value } }, s.cause);
        const stored = await loadObject<ContactState>(ctx.uow.trx, s.conn.row.id, 'contact', cwContactId);
        if (stored) {
          const attrs = { ...stored.state.custom_attributes, [field]: value };
          if (value === null) delete attrs[field];
          await saveObject(ctx.uow.trx, s.conn.row.id, 'contact', cwContactId, stored.version, { ...stored.state, custom_attributes: attrs }, stored.companionId);
        }
      });
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

  async close(call, { category, summary }) {
    const s = session(call);
    return s.once(() => guarded(s, async () => {
      if (category) {
        const { categories } = await getClosingCategories(call.services.db);
        if (categories.length > 0 && !categories.includes(category)) throw new StepError(`Unknown closing category "${category}"; use one of: ${categories.join(', ')}`);
      }
      const toggled = await s.api.toggleStatus(s.displayId, 'resolved');
      await s.mirror(async (ctx) => {
        await closeConversation(ctx.uow, ctx.services, call.conversation.id, { category, summary }, s.cause);
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

async function cwContactOf(ctx: MirrorContext, contactId: string): Promise<number | undefined> {
  const row = await ctx.uow.trx.selectFrom('channel_identities').select('external_id')
    .where('channel', '=', `chatwoot:${ctx.conn.row.id}`).where('contact_id', '=', contactId).executeTakeFirst();
  return row ? Number(row.external_id) : undefined;
}

export { contactIdOf };
registerConnector(chatwootConnector);
