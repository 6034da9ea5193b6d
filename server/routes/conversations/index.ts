import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssignBody, AwaitingAnswerState, ClosingCategories, CloseConversationBody, Conversation, ConversationDetail, ConversationList, ConversationQuery,
  ConversationDetailQuery, DETAIL_MESSAGES, MessageBody, OpenConversationBody, PostedMessage, TakeOverBody, TakeOverResult, type Message,
} from '../../../lib/contracts/conversations';
import { messagePage } from '../../domain/message-page';
import { storedTextMasker, withShownDelivery, type ShowStored } from '../../secrets/stored-texts';
import { getContact, toContact } from '../../domain/contacts';
import { getClosingCategories, setClosingCategories, unknownCategory } from '../../domain/closing-categories';
import {
  addMessage, assignConversation, checkAssignee, closeConversation, findOpenConversation, getConversation, toConversation,
} from '../../domain/conversations';
import { inTransaction } from '../../events/unit-of-work';
import { contactHistory, contactOpenConversationId, openAgain, postOnClosedConversation } from '../../domain/closed-conversations';
import { assigneeFilter, listConversations } from '../../domain/conversation-list';
import { causeOf } from '../cause';
import { conflict, forbidden } from '../../http-error';
import { contactAsSeen, readsContacts } from '../../apps/contact-ref';
import { channelWindowOf } from '../../channels/conversation-window';
import { refuseReplyWithoutChannel } from '../../channels/disconnected';
import { awaitingAnswerState } from '../../domain/question-replies';
import { requireUser } from '../../auth/plugin';
import { takeOverQuestion } from '../../engine/workflows/take-over-question';
import { chatwootInboxOf } from '../../connectors/chatwoot/dashboard-link';
import { inOtherInbox, postInConnection, viaConnection } from './via-connection';
import { postTemplateReply, replyThroughChannel } from './channel-reply';
import { personOf } from './changed-by';
import { AGENT_ASSIGN_RULE, refuseAgentAssignment, refuseAgentAssignmentIn } from '../../domain/assign-rule';
import { earlierPost, postedKey, storedOnce } from './posted-key';
import { channelReplyRoutes } from './replies';
import { messagePageRoutes } from './message-pages';
import { seenRoutes } from './seen';
import { readerOf } from '../../domain/conversation-unread';
import { IdempotencyKeyHeaders } from '../../../lib/contracts/idempotency';
import { messageAuthorOf } from '../../apps/message-author';
import { refuseReplyTooLong } from './reply-length';

const Params = z.object({ id: z.string().max(64) });
const LATEST_ONLY = `\`messages\` holds the latest ${DETAIL_MESSAGES} messages; \`olderMessagesCursor\` (null: none older) reads the ones before them with GET /conversations/{id}/messages.`;
/** A closed conversation: nothing waits on its customer (a close ends its questions). */
const NOTHING_AWAITED = { awaitingAnswer: null, awaitingAnswers: [] };
const SEEN_CONTACT = 'An app key without contacts.read sees each conversation\'s contact as its id only (names and tags empty, phone and email null, no fields).';

export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  const { db } = services;
  const read = { access: { role: 'agent' as const, scope: 'conversations.read' as const } };
  const write = { access: { role: 'agent' as const, scope: 'conversations.write' as const } };
  // Templates an agent may pick, Resend of a failed reply (replies.ts).
  await app.register(channelReplyRoutes);
  // GET /conversations/:id/messages: the thread a page at a time (message-pages.ts).
  await app.register(messagePageRoutes);
  // POST /conversations/:id/seen: what each user has read, for the list's unread counts (seen.ts).
  await app.register(seenRoutes);

  app.post('/conversations', { config: { ...write, errors: { 409: '`conflict`: the contact already has an open conversation' } }, schema: { tags: ['conversations'], body: OpenConversationBody, response: { 201: Conversation } } },
    async (req, reply) => {
      const cause = causeOf(req, req.body.source);
      // The contact's latest conversation lives in Chatwoot: it is reopened there (as the Open
      // Conversation step does), else the next sync would close what was opened here.
      const latest = await db.selectFrom('conversations').selectAll().where('contact_id', '=', req.body.contactId)
        .orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
      const elsewhere = latest && await viaConnection(services, req, toConversation(latest), 'reopen', { cause });
      if (elsewhere) {
        if (await findOpenConversation(db, req.body.contactId)) throw conflict('This contact already has an open conversation');
        const reopened = await elsewhere.invoke(undefined);
        return reply.code(201).send(await getConversation(db, String(reopened.conversationId)));
      }
      // Reopening for a customer on WhatsApp / Messenger: the new conversation stays on that channel;
      // its thread says who reopened it (Chatwoot, above, writes its own line).
      return reply.code(201).send(await inTransaction(db, (uow) => openAgain(uow, services, req.body.contactId, cause, personOf(req))));
    });

  app.get('/conversations', {
    config: read,
    schema: {
      tags: ['conversations'],
      summary: 'Conversations, newest activity first (latest message, else opened), each with its latest message; filter by status, assignee (me, none or a user\'s id), contact and search text (q); page with nextCursor; total counts every match',
      description: SEEN_CONTACT + ' Such a key cannot search with q (403).',
      querystring: ConversationQuery,
      response: { 200: ConversationList },
    },
  },
    async (req) => {
      // Newest activity first, a page after `cursor`, with the filters' total (domain/conversation-list.ts).
      const { assigneeId, ...query } = req.query;
      // `q` matches contacts' names, phones and emails: a search by them is a contacts read.
      const seesContacts = readsContacts(req.principal);
      if (query.q && !seesContacts) throw forbidden('q searches contacts\' names, phones and emails: this API key lacks the contacts.read scope');
      const user = req.principal?.kind === 'user' ? req.principal.user : null;
      const list = await listConversations(db, services.store.dialect, query, await assigneeFilter(db, assigneeId, user?.id ?? null), user ? await readerOf(db, user) : undefined);
      // A failed last reply's words, as the thread shows them (stored-texts.ts).
      const show = await storedTextMasker(db, services.vault);
      const conversations = list.conversations.map((c) => (c.lastMessage ? { ...c, lastMessage: withShownDelivery(c.lastMessage, show) } : c));
      return { ...list, conversations: seesContacts ? conversations : conversations.map((c) => ({ ...c, contact: contactAsSeen(req.principal, c.contact) })) };
    });

  app.get('/conversations/:id', { config: read, schema: { tags: ['conversations'], description: `${LATEST_ONLY} ${SEEN_CONTACT}`, params: Params, querystring: ConversationDetailQuery, response: { 200: ConversationDetail } } },
    async (req) => {
      const conversation = await getConversation(db, req.params.id);
      // The latest page only: a thread of thousands answered whole took 0.5 MB and a second to draw.
      const [latest, show] = await Promise.all([messagePage(db, conversation.id, { limit: DETAIL_MESSAGES }), storedTextMasker(db, services.vault)]);
      return {
        ...conversation, contact: contactAsSeen(req.principal, await getContact(db, conversation.contactId)),
        // The thread's "Not sent: …" lines stored before errors were masked (stored-texts.ts).
        messages: latest.messages.map((m) => withShownDelivery(m, show)), olderMessagesCursor: latest.nextCursor,
        channel: shownWindow(await channelWindowOf(db, conversation), show),
        inbox: await chatwootInboxOf(services, conversation),
        ...(conversation.status === 'open' ? await awaitingAnswerState(db, conversation.id) : NOTHING_AWAITED),
        contactOpenConversationId: await contactOpenConversationId(db, conversation),
        // Earlier conversations' lines are masked as the thread's are: the same stored errors, another read path.
        ...(req.query.history === 'true' ? { history: shownHistory(await contactHistory(db, conversation), show) } : {}),
      };
    });

  app.get('/conversations/:id/awaiting-answer', { config: read, schema: { tags: ['conversations'], summary: 'Whether a workflow waits for the customer\'s answer here', params: Params, response: { 200: AwaitingAnswerState } } },
    async (req) => {
      const conversation = await getConversation(db, req.params.id);
      // One read (the Dashboard App polls this): the list and its first come from it together.
      return conversation.status === 'open' ? awaitingAnswerState(db, conversation.id) : NOTHING_AWAITED;
    });

  // Chatwoot's bot handoff: the agent answers the customer, the workflow's question stops waiting.
  app.post('/conversations/:id/awaiting-answer/take-over', {
    config: { access: { role: 'agent' } },
    schema: { tags: ['conversations'], summary: 'Stop the workflow waiting for the customer\'s answer here: their next message comes to you, and the conversation is assigned to you unless a colleague has it (assignment)', params: Params, body: TakeOverBody.nullish(), response: { 200: TakeOverResult } },
  }, async (req) => {
    const by = requireUser(req);
    const conversation = await getConversation(db, req.params.id);
    // The agent gets the conversation; one in Chatwoot is assigned there (as Assign does).
    const there = await viaConnection(services, req, conversation, 'assign', { cause: causeOf(req) });
    return takeOverQuestion(services, req.params.id, by, req.body?.runId, there && (async (userId) => { await there.invoke({ userId }); }));
  });

  app.post('/conversations/:id/close', { config: { ...write, errors: { 409: '`conflict`: the conversation is already closed' } }, schema: { tags: ['conversations'], params: Params, body: CloseConversationBody, response: { 200: Conversation } } },
    async (req) => {
      const cause = causeOf(req, req.body.source);
      const conversation = await getConversation(db, req.params.id);
      // A Chatwoot conversation is resolved there (then closed here): what the built-in close
      // would refuse is refused first, before Chatwoot is asked.
      const elsewhere = await viaConnection(services, req, conversation, 'close', { cause });
      if (elsewhere) {
        if (conversation.status !== 'open') throw conflict('This conversation is already closed');
        const unknown = unknownCategory(req.body.category, (await getClosingCategories(db)).categories);
        if (unknown) throw unknown;
        await elsewhere.invoke({ category: req.body.category ?? null, summary: req.body.summary ?? null });
        return getConversation(db, conversation.id);
      }
      // The thread says who closed it (Chatwoot, above, writes its own line for its resolve).
      return inTransaction(db, (uow) => closeConversation(uow, services, req.params.id, req.body, cause, personOf(req)));
    });

  app.post('/conversations/:id/messages', {
    config: { access: { role: 'agent', scope: 'messages.write' }, errors: {
      409: '`idempotency_key_reused`: this Idempotency-Key came with another body or conversation; `conversation_closed`: a reply on a closed conversation (a customer’s message opens it again)',
    } },
    schema: { tags: ['conversations'], params: Params, headers: IdempotencyKeyHeaders, body: MessageBody, response: { 201: PostedMessage } },
    // Too long for its WhatsApp number or Page: said in the channel's words (reply-length.ts).
    preValidation: refuseReplyTooLong(db),
  }, async (req, reply) => {
    // A reply or note is the user's, or the app's whose key posted it (apps/message-author.ts).
    const author = req.body.direction === 'incoming' ? { type: 'contact' as const, id: null } : await messageAuthorOf(db, req.principal);
    const conversation = await getConversation(db, req.params.id);
    const idempotency = req.headers['idempotency-key'] ?? null;
    // A WhatsApp template (the reply once the 24-hour window has closed): channel-reply.ts.
    if (req.body.template) return reply.code(201).send(await postTemplateReply(services, req, conversation, req.body.template, idempotency));
    // Without a template the body has text (MessageBody).
    const body = { text: req.body.text ?? '', direction: req.body.direction, kind: req.body.kind };
    // A Chatwoot conversation: a reply is sent and a note posted (private) there, as an agent's
    // own in Chatwoot would be; the customer's messages come from Chatwoot only.
    const elsewhere = await postInConnection(services, req, conversation, body, author, causeOf(req), idempotency);
    if (elsewhere) return reply.code(201).send(elsewhere);
    // Stored here only (built-in; a note on WhatsApp / Messenger): a retried request is answered the
    // first message (posted-key.ts). A reply through a channel keeps its own check (channel-reply.ts).
    const key = conversation.connectionId && body.direction === 'outgoing' && body.kind === 'message' ? undefined : postedKey(req, body, idempotency);
    const earlier = key && await earlierPost(db, key, conversation.id, body);
    if (earlier) return reply.code(201).send(earlier);
    const posted = { ...body, author, ...(key ? { sendKey: key } : {}) };
    const once = <M extends Message>(store: () => Promise<M>) => storedOnce(db, key, conversation.id, body, store);
    // Closed: a customer's message opens the contact's conversation again, a reply is refused (409).
    if (conversation.status === 'closed') return reply.code(201).send(await once(() => postOnClosedConversation(services, conversation, posted, causeOf(req))));
    const channel = conversation.connectionId ? await channelWindowOf(db, conversation) : null;
    if (channel && conversation.connectionId && body.direction === 'outgoing' && body.kind === 'message') {
      // An agent's reply on a WhatsApp / Messenger conversation goes to the customer (channel-reply.ts).
      const sent = await replyThroughChannel(services, req, { ...conversation, connectionId: conversation.connectionId }, { kind: 'text', text: body.text }, idempotency);
      return reply.code(201).send(sent);
    }
    if (body.direction === 'outgoing' && body.kind === 'message') await refuseReplyWithoutChannel(db, conversation);
    const message = await once(() => inTransaction(db, (uow) => addMessage(uow, services, req.params.id, posted, causeOf(req))));
    return reply.code(201).send(message);
  });

  app.post('/conversations/:id/assign', {
    config: { ...write, errors: { 403: `\`forbidden\`: ${AGENT_ASSIGN_RULE}; an app key without conversations.write` } },
    schema: { tags: ['conversations'], params: Params, body: AssignBody, response: { 200: Conversation } },
  },
    async (req) => {
      const conversation = await getConversation(db, req.params.id);
      // Agents: themselves only, here as in Chatwoot-linked conversations (assign-rule.ts).
      await refuseAgentAssignment(db, req.principal, conversation, req.body.userId);
      // A Chatwoot conversation is assigned there, to the agent with the user's email.
      const elsewhere = await viaConnection(services, req, conversation, 'assign', { cause: causeOf(req) });
      if (elsewhere) {
        if (req.body.userId) await checkAssignee(db, req.body.userId);
        if (conversation.assigneeId === req.body.userId) return conversation;
        if (conversation.status !== 'open') throw inOtherInbox(elsewhere.name, conversation, `it is closed; reopen it to assign it, or assign it in ${elsewhere.name}`);
        await elsewhere.invoke({ userId: req.body.userId });
        return getConversation(db, conversation.id);
      }
      // The thread says who assigned it to whom (Chatwoot, above, writes its own line). The rule
      // again on the assignee as the write finds it: someone may have reassigned it since the read above.
      return inTransaction(db, async (uow) => {
        await refuseAgentAssignmentIn(uow.trx, req.principal, req.params.id, req.body.userId);
        return assignConversation(uow, services, req.params.id, req.body.userId, causeOf(req), personOf(req));
      });
    });

  app.get('/settings/closing-categories', { config: { access: { role: 'agent' } }, schema: { tags: ['conversations'], response: { 200: ClosingCategories } } },
    async () => getClosingCategories(db));

  app.put('/settings/closing-categories', { config: { access: { role: 'admin' } }, schema: { tags: ['conversations'], body: ClosingCategories, response: { 200: ClosingCategories } } },
    async (req) => {
      await setClosingCategories(db, req.body.categories);
      return getClosingCategories(db);
    });
};

/** The channel's last error, as the conversation's channel line quotes it (stored-texts.ts). */
const shownWindow = <T extends { problem?: string | null } | null>(window: T, show: ShowStored): T =>
  (window?.problem ? { ...window, problem: show(window.problem) } : window);

/** The contact's earlier conversations, each message's stored delivery error shown as the thread's are. */
const shownHistory = <H extends { conversations: { messages: { delivery?: { error: string | null } }[] }[] }>(history: H, show: ShowStored): H =>
  ({ ...history, conversations: history.conversations.map((c) => ({ ...c, messages: c.messages.map((m) => withShownDelivery(m, show)) })) });
