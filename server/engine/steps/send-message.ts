import { badTemplate, isFetchableLink, specFromConfig, inboxText, specAttachments, templateSpec } from '../../channels/send-spec';
import { sendOnConversation } from '../../channels/send-on-conversation';
import { channelGoneForStep } from '../../channels/disconnected';
import { explainMetaError, refusedAsReEngagement } from '../../channels/meta-advice';
import { addMessage } from '../../domain/conversations';
import { isChannelKind } from '../../channels/connections';
import { connectorOfKind, type Connector, type ConnectorCall } from '../../connectors/registry';
import { defineStep, fail, next, RetryLaterError } from './define';
import { DELETED_THERE, deletedThere, outsideWhenConnected, viaConnector } from './via-connector';
import { workflowAuthor } from './workflow-author';
import { channelForTemplate, mayUseChannel } from './conversation-channel';
import { writeOnce } from './write-once';
import { openForSend } from './open-for-send';

const isTemplateConfig = (config: unknown) => (config as { kind?: string } | undefined)?.kind === 'template';

export const sendMessageStep = defineStep({
  type: 'send_message',
  // On a WhatsApp / Messenger conversation the message goes out through the Graph API, on a
  // Chatwoot conversation through Chatwoot's API: outside the checkpoint transaction, recorded
  // before the call (see channels/deliver.ts, connectors/chatwoot). A built-in conversation too
  // while a WhatsApp number is connected, for a template only: it goes there (conversation-channel.ts);
  // any other message on a built-in conversation stays a local write in the round, with no read.
  // None open: it opens one first, maybe in Chatwoot (as the Open conversation step, an outside call).
  outside: (c, { db, config }) => c === null || outsideWhenConnected(c) || (isTemplateConfig(config) && mayUseChannel(c, db)),
  async run(ctx) {
    let conversation = ctx.conversation;
    if (!conversation) {
      // The run's conversation deleted in Chatwoot meanwhile: "open one first" would not help.
      const started = ctx.run.conversationId
        ? await ctx.db((uow) => uow.trx.selectFrom('conversations').select('close_reason').where('id', '=', ctx.run.conversationId!).executeTakeFirst())
        : undefined;
      if (started && deletedThere({ closeReason: started.close_reason })) return fail(`Cannot send a message: ${DELETED_THERE}`);
      const opened = await openForSend(ctx);
      if ('error' in opened) return fail(opened.error);
      conversation = opened.conversation;
    }
    const spec = specFromConfig(ctx.config, (t) => ctx.render(t), (t) => ctx.renderJson(t));
    if ((spec.kind === 'text' || spec.kind === 'buttons') && spec.text.trim() === '') return fail('Cannot send an empty message: the text rendered empty');
    const templateProblem = badTemplate(spec);
    if (templateProblem) return fail(templateProblem);
    if (spec.kind === 'media' && !isFetchableLink(spec.media?.url ?? '')) return fail(`Cannot send the ${spec.media?.type ?? 'file'}: its link "${spec.media?.url ?? ''}" is not an https:// URL Meta can fetch`);

    let connection = conversation.connectionId
      ? await ctx.services.db.selectFrom('connections').selectAll().where('id', '=', conversation.connectionId).executeTakeFirst()
      : undefined;
    if (conversation.connectionId && !connection) return fail('Not sent: the conversation’s channel was disconnected; connect it again to send');
    const gone = channelGoneForStep(conversation);
    if (gone) return fail(gone);
    if (connection && !isChannelKind(connection.kind)) {
      // Another kind of connection (an inbox such as Chatwoot) answers with its plain sendMessage, if it has one.
      const inbox = connectorOfKind(connection.kind) as (Connector & { sendMessage?: (call: ConnectorCall, input: { text: string }) => Promise<Record<string, unknown>> }) | undefined;
      if (inbox?.sendMessage) {
        const call = {
          services: ctx.services, connection, conversation: { ...conversation, connectionId: connection.id },
          idempotencyKey: ctx.idempotencyKey, note: ctx.note, cause: ctx.cause, once: ctx.once, author: await workflowAuthor(ctx), cancellation: ctx.cancellation,
        };
        return next(await inbox.sendMessage(call, { text: inboxText(spec) }));
      }
    }

    // A WhatsApp template is meant for WhatsApp: stored in the built-in inbox it would reach no one
    // while the run said sent. It goes to the contact's phone on the connected number instead.
    if (!connection && spec.kind === 'template' && !conversation.externalId) {
      // Connected since the engine decided this step runs inside its transaction: next time, outside.
      if (!ctx.outside && await ctx.db((uow) => mayUseChannel(conversation, uow.trx))) throw new RetryLaterError('A WhatsApp number was connected meanwhile: the template is sent on the next try');
      const moved = await channelForTemplate(ctx, conversation);
      if (moved && 'error' in moved) return fail(moved.error, { conversationId: conversation.id });
      if (moved) ({ conversation, connection } = moved);
    }
    if (!connection || !isChannelKind(connection.kind)) {
      if (spec.kind !== 'text') ctx.note(`The conversation is in the built-in inbox: the ${spec.kind} message is stored as text`);
      const author = await workflowAuthor(ctx);
      const text = inboxText(spec).slice(0, 4096);
      // Outside a transaction (a template meant for WhatsApp, whose number was disconnected since
      // the engine decided) the message row carries the step's key: no gap between it and a record.
      const message = ctx.outside
        ? await writeOnce(ctx, conversation.id, { text, kind: 'message', author })
        : await ctx.once(() => ctx.db((uow) => addMessage(uow, ctx.services, conversation.id, { text, direction: 'outgoing', kind: 'message', author }, ctx.cause)));
      return next({ messageId: message.id, conversationId: conversation.id });
    }

    // An inbox connector (Chatwoot) carries text; its own app delivers it on the customer's channel.
    const inbox = await viaConnector(ctx, conversation, 'sendMessage');
    if (inbox) {
      if (spec.kind !== 'text') ctx.note(`The conversation lives in another inbox: the ${spec.kind} message is sent as text`);
      return next(await inbox.invoke({ text: inboxText(spec).slice(0, 4096) }));
    }

    const fallback = ctx.config.fallbackTemplate ? templateSpec(ctx.config.fallbackTemplate, (t) => ctx.render(t), (t) => ctx.renderJson(t)) : undefined;
    const fallbackProblem = fallback && badTemplate(fallback);
    if (fallbackProblem) return fail(`${fallbackProblem} (the fallback template)`);
    const outcome = await sendOnConversation(ctx.services, {
      conversation: { ...conversation, connectionId: connection.id },
      spec,
      ...(fallback ? { fallback } : {}),
      sendKey: ctx.idempotencyKey,
      author: await workflowAuthor(ctx),
      cause: ctx.cause,
      note: ctx.note,
      retryLater: ctx.canRetry,
      cancellation: ctx.cancellation,
    });
    if ('error' in outcome) return fail(`Not sent: ${outcome.error}`, { conversationId: conversation.id });
    const { result, sent, caption } = outcome;
    if (result.repeated && (!caption || caption.result.repeated)) ctx.note('This send was already attempted before a restart; Meta was not called again');
    const delivery = (r: typeof result) => ({ status: r.status, externalId: r.externalId, error: explainMetaError(r.error) });
    const output = {
      messageId: result.messageId, conversationId: conversation.id, sentAs: sent.kind,
      delivery: delivery(result),
      ...(specAttachments(sent).length ? { attachments: specAttachments(sent) } : {}),
      ...(outcome.viaFallback ? { fallbackTemplate: true } : {}),
      ...(caption ? { caption: { messageId: caption.result.messageId, delivery: delivery(caption.result) } } : {}),
    };
    // Throttled or down: the run tries again later with the same message (or fails on its last try).
    if (result.transient && !result.repeated) throw new RetryLaterError(`Meta did not take the message for now: ${result.error}`, result.retryAfterMs ?? undefined);
    if (result.status === 'failed') {
      // Meta's own word that its window is closed, and nothing to send instead.
      if (refusedAsReEngagement(result) && !outcome.viaFallback) return fail(`Not sent: WhatsApp says more than 24 hours passed since the customer last wrote: add a fallback template to this step (${result.error})`, output);
      return fail(`Meta did not accept ${outcome.viaFallback ? 'the fallback template' : 'the message'}: ${explainMetaError(result.error)}`, output);
    }
    if (result.status === 'unknown') return fail(result.error ?? 'The outcome of the send is unknown', output);
    // The attachment went; its caption (a message of its own on Messenger) follows the same rules.
    if (caption?.result.transient && !caption.result.repeated) throw new RetryLaterError(`The attachment was sent; Meta did not take its caption for now: ${caption.result.error}`, caption.result.retryAfterMs ?? undefined);
    if (caption && caption.result.status !== 'accepted') return fail(`The attachment was sent, but not its caption: ${explainMetaError(caption.result.error) ?? 'the outcome is unknown'}`, output);
    return next(output);
  },
});
