import { z } from 'zod';
import { AdReferral } from './ad-referral';

/**
 * Domain events: every change is recorded as one of these (same transaction as the change),
 * then dispatched to the workflows whose trigger listens for it.
 */
/** Who made the change: a user's id (person or bot) or a workflow's id; null for outside callers. */
const By = z.string().nullable().optional();
// `channel`: where it lives (`built_in` or its connection's kind, `$trigger.channel`); `channelType` and
// `inboxName`: its channel in one word and its Chatwoot inbox (conversation-place.ts), for trigger rules.
const ConversationFacts = {
  assigneeId: z.string().nullable().optional(), channel: z.string().optional(), by: By,
  channelType: z.string().nullable().optional(), inboxName: z.string().nullable().optional(),
};

export const DomainEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('contact.created'), payload: z.object({ contactId: z.string() }) }),
  z.object({ type: z.literal('contact.updated'), payload: z.object({ contactId: z.string(), changes: z.array(z.string()) }) }),
  z.object({ type: z.literal('contact.tag_added'), payload: z.object({ contactId: z.string(), tag: z.string(), by: By }) }),
  z.object({ type: z.literal('contact.tag_removed'), payload: z.object({ contactId: z.string(), tag: z.string(), by: By }) }),
  z.object({ type: z.literal('contact.field_updated'), payload: z.object({ contactId: z.string(), field: z.string(), oldValue: z.unknown(), newValue: z.unknown(), by: By }) }),
  z.object({ type: z.literal('conversation.opened'), payload: z.object({ contactId: z.string(), conversationId: z.string(), firstIncomingMessage: z.string().nullable(), ...ConversationFacts }) }),
  z.object({ type: z.literal('conversation.closed'), payload: z.object({
    contactId: z.string(), conversationId: z.string(), category: z.string().nullable(), summary: z.string().nullable(),
    reason: z.string().nullable(), resolutionTimeSeconds: z.number(), firstResponseTimeSeconds: z.number().nullable(), ...ConversationFacts,
  }) }),
  z.object({ type: z.literal('contact.merged'), payload: z.object({ contactId: z.string(), mergedContactId: z.string(), moved: z.record(z.string(), z.number()), by: By }) }),
  // A contact erased (DELETE /contacts/:id): no personal data, and no `contactId`, so the row names
  // no contact (events.contact_id null) and no trigger listens; `erased`: rows gone per table.
  z.object({ type: z.literal('contact.deleted'), payload: z.object({ deletedContactId: z.string(), erased: z.record(z.string(), z.number()), by: By }) }),
  z.object({ type: z.literal('conversation.assigned'), payload: z.object({ contactId: z.string(), conversationId: z.string(), assigneeId: z.string().nullable() }) }),
  z.object({ type: z.literal('message.created'), payload: z.object({ contactId: z.string(), conversationId: z.string(), messageId: z.string(), direction: z.string(), kind: z.string() }) }),
  // Trigger-only events: their payload carries the trigger variables.
  z.object({ type: z.literal('shortcut.launched'), payload: z.object({ contactId: z.string(), conversationId: z.string(), workflowId: z.string(), values: z.record(z.string(), z.unknown()), launchedBy: z.string(), launchedByName: z.string().optional() }) }),
  // `unmatched`: identifier values that matched no contact (only when there are some).
  z.object({ type: z.literal('webhook.received'), payload: z.object({ workflowId: z.string(), contactIds: z.array(z.string()), unmatched: z.array(z.string()).optional(), variables: z.record(z.string(), z.unknown()), errors: z.array(z.unknown()) }) }),
  // `referral`: all Meta said of the ad (absent on events recorded before it was kept).
  z.object({ type: z.literal('ad.clicked'), payload: z.object({
    contactId: z.string(), conversationId: z.string().nullable(), adId: z.string(), adName: z.string(), ctwaClid: z.string().nullable(), message: z.string().nullable(),
    referral: AdReferral.optional(), ineligible: z.string().nullable().optional(),
  }) }),
  z.object({ type: z.literal('mini_app.triggered'), payload: z.object({ contactId: z.string(), appId: z.string(), triggerKey: z.string(), items: z.record(z.string(), z.unknown()) }) }),
  z.object({ type: z.literal('workflow.started'), payload: z.object({ contactId: z.string(), workflowId: z.string(), variables: z.record(z.string(), z.unknown()),
    /** Who started it: a run's Trigger-workflow step, an app (send sub flow) or an admin. */
    byRunId: z.string().optional(), byAppId: z.string().optional(), byUserId: z.string().optional() }) }),
]);
export type DomainEvent = z.infer<typeof DomainEvent>;
export type DomainEventType = DomainEvent['type'];

/** Server-sent events on /api/v1/events/stream. */
export const LiveMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('definitions.changed'), version: z.string() }),
  z.object({ type: z.literal('restrictions.changed'), version: z.string() }),
  /**
   * A run's status changed. `error` (a failed step's words may quote a third party's answer) and
   * `launchedBy` (the agent who launched a shortcut run) are for routing: a stream sends `error`
   * only to whoever may read the run (admins, the agent who launched it) and never `launchedBy`.
   */
  z.object({ type: z.literal('run.updated'), runId: z.string(), workflowId: z.string(), status: z.string(), error: z.string().nullable().optional(), launchedBy: z.string().nullable().optional() }),
  z.object({ type: z.literal('conversation.changed'), conversationId: z.string(), contactId: z.string() }),
  z.object({ type: z.literal('contact.changed'), contactId: z.string() }),
  /**
   * The user looked at a conversation (POST /conversations/:id/seen): its unread count for them is
   * 0 now. Sent only to that user's own streams (their other tabs and devices), never to others.
   */
  z.object({ type: z.literal('conversation.seen'), conversationId: z.string(), userId: z.string(), seenAt: z.string() }),
  /**
   * An admin changed a user (name, role, deactivated or reactivated) or gave them a new token.
   * Every instance hears it (its streams watch it): the user's own streams whose token no longer
   * holds are ended with `session.ended`; their extension reads /me again.
   */
  z.object({ type: z.literal('user.changed'), userId: z.string() }),
  /**
   * An account of that kind (`chatwoot`) was connected or disconnected. Every instance and thread
   * hears it: the accounts a run round consults are kept in memory until it (server/connectors/
   * chatwoot/account-channels.ts). Nothing for a client to act on.
   */
  z.object({ type: z.literal('connections.changed'), kind: z.string() }),
  /** The last frame of a stream whose sign-in stopped holding (deactivated, token revoked): why. Sent to that stream only. */
  z.object({ type: z.literal('session.ended'), reason: z.string() }),
]);
export type LiveMessage = z.infer<typeof LiveMessage>;
