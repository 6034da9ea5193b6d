import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { inTransaction } from '../../events/unit-of-work';
import { HttpError, issuesToDetails } from '../../http-error';
import { nowIso } from '../../ids';
import type { Services } from '../../services';
import { isUniqueViolation } from '../../store/database';
import { agentEmail } from './agents';
import { connectionByWebhookToken, type ChatwootConnection } from './connections';
import { applyContact, lockMirror, type MirrorContext } from './mirror-contact';
import { applyConversation, applyIncomingMessage, isOpenStatus } from './mirror-conversation';
import { ChangedAttributes, contactVersion, CwContact, CwConversation, CwMessageEvent, stampSeconds } from './payloads';
import { messageAuthor } from './message-author';
import { placeOf } from './inboxes';
import { applyMessageEdit } from './message-edit';
import type { ConversationPlace } from '../../domain/conversation-place';

export interface WebhookResult { event: string; handled: boolean; duplicate: boolean; note?: string | undefined }

/** Chatwoot signs with HMAC-SHA256(secret, "{timestamp}.{raw_body}") since v4.11.2 (#13573; FACTS §1 Signing). */
const TOLERANCE_SECONDS = 300;
export function verifyChatwootSignature(secret: string, rawBody: string | Buffer, headers: Record<string, unknown>, nowSeconds = Date.now() / 1000): string | null {
  const signature = headers['x-chatwoot-signature'];
  const timestamp = headers['x-chatwoot-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return 'This account has a webhook secret: deliveries must carry X-Chatwoot-Signature and X-Chatwoot-Timestamp (Chatwoot 4.11.2 or later)';
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) return 'X-Chatwoot-Timestamp is more than 5 minutes away from now: check the clocks, or this is a replay';
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  const given = Buffer.from(signature.replace(/^sha256=/, ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'X-Chatwoot-Signature does not match the body: is the webhook secret the one Chatwoot shows for this webhook?';
}

// Only these change something; typing, webwidget and inbox events are acknowledged and ignored.
const NOISE = new Set(['last_activity_at', 'updated_at']);
const Envelope = z.looseObject({ event: z.string().max(100) });

/**
 * One Chatwoot delivery. Everything it changes, and the record of the delivery itself (dedupe key:
 * X-Chatwoot-Delivery, else a hash of the body), commit in one transaction: a repeated delivery
 * finds the key and changes nothing.
 */
export async function handleChatwootWebhook(services: Services, input: { token: string; rawBody: string | Buffer; body: unknown; headers: Record<string, unknown> }): Promise<WebhookResult> {
  const conn = await connectionByWebhookToken(services, input.token);
  if (!conn) throw new HttpError(404, 'not_found', 'No Chatwoot account uses this webhook URL (it was removed, or the URL is mistyped)');
  if (conn.secrets.webhookSecret) {
    const problem = verifyChatwootSignature(conn.secrets.webhookSecret, input.rawBody, input.headers);
    if (problem) throw new HttpError(401, 'invalid_signature', problem);
  }
  const envelope = Envelope.safeParse(input.body);
  if (!envelope.success) throw new HttpError(422, 'invalid_content', 'A Chatwoot webhook body is a JSON object with an "event"', issuesToDetails(envelope.error.issues, 'body'));
  const event = envelope.data.event;
  const delivery = typeof input.headers['x-chatwoot-delivery'] === 'string' ? `d:${input.headers['x-chatwoot-delivery'].slice(0, 100)}` : `h:${createHash('sha256').update(input.rawBody).digest('hex')}`;

  const handler = selectHandler(event, input.body);
  if (!handler) return { event, handled: false, duplicate: false };
  // Outside the transaction: who the assignee is (webhooks name agents without their email).
  const assigneeEmail = handler.assigneeId !== undefined ? await agentEmail(services, conn, handler.assigneeId) : undefined;
  const place = handler.conversation ? await placeOf(services, conn, handler.conversation) : undefined;
  const apply = (ctx: MirrorContext) => handler.apply(ctx, assigneeEmail, place);
  try {
    return await inTransaction(services.db, async (uow) => {
      await lockMirror({ uow, services, conn });
      const seen = await uow.trx.selectFrom('chatwoot_deliveries').select('event')
        .where('connection_id', '=', conn.row.id).where('delivery_key', '=', delivery).executeTakeFirst();
      if (seen) return { event, handled: false, duplicate: true };
      await uow.trx.insertInto('chatwoot_deliveries').values({ connection_id: conn.row.id, delivery_key: delivery, event, created_at: nowIso() }).execute();
      const ctx: MirrorContext = { uow, services, conn, notes: [] };
      await apply(ctx);
      return { event, handled: true, duplicate: false, note: ctx.notes.join('; ') || undefined };
    });
  } catch (err) {
    // Two copies of one delivery at the same moment on PostgreSQL: the second waits, then conflicts.
    if (isUniqueViolation(err)) return { event, handled: false, duplicate: true };
    throw err;
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(422, 'invalid_content', 'This does not look like a Chatwoot webhook payload', issuesToDetails(parsed.error.issues, 'body'));
  return parsed.data;
}

type Handler = {
  apply: (ctx: MirrorContext, assigneeEmail: string | null | undefined, place: ConversationPlace | undefined) => Promise<unknown>;
  assigneeId?: number | undefined;
  /** The conversation the delivery is about: its inbox is looked up before the transaction. */
  conversation?: CwConversation;
};

function selectHandler(event: string, body: unknown): Handler | undefined {
  switch (event) {
    case 'contact_created':
    case 'contact_updated': {
      const contact = parse(CwContact, body);
      const changed = parse(z.looseObject({ changed_attributes: ChangedAttributes }), body).changed_attributes;
      // Every incoming message also updates last_activity_at (message.rb:321): noise, nothing to do.
      if (event === 'contact_updated' && Object.keys(changed).every((k) => NOISE.has(k))) return undefined;
      return { apply: (ctx) => applyContact(ctx, contact, { version: contactVersion(contact, changed), attributes: true, cause: { source: 'user' } }) };
    }
    case 'conversation_created':
    case 'conversation_updated':
    case 'conversation_status_changed': {
      const conv = parse(CwConversation, body);
      const changed = parse(z.looseObject({ changed_attributes: ChangedAttributes }), body).changed_attributes;
      const previous = changed.label_list?.previous_value;
      return {
        assigneeId: conv.meta.assignee && !conv.meta.assignee.email ? conv.meta.assignee.id : undefined,
        conversation: conv,
        apply: (ctx, assigneeEmail, place) => applyConversation(ctx, conv, {
          version: stampSeconds(conv.updated_at), assigneeEmail, place,
          // conversation_updated carries the status change of the same save (status_changed: null).
          reportsReopen: changed.status?.previous_value === 'resolved' && isOpenStatus(conv.status),
          reportsCreation: event === 'conversation_created',
          previousLabels: Array.isArray(previous) ? previous.filter((l): l is string => typeof l === 'string') : undefined,
        }),
      };
    }
    case 'message_created': {
      const msg = parse(CwMessageEvent, body);
      // Activity messages are never sent (message_filter_helpers.rb:8).
      const { from, bot } = messageAuthor(msg);
      return { conversation: msg.conversation, apply: (ctx, _email, place) => applyIncomingMessage(ctx, msg, from, false, place, bot) };
    }
    case 'message_updated': {
      // A stored message: only its words are mirrored (message-edit.ts), its conversation's state
      // comes with its own events. One whose message_created was lost is stored as that would have (missed-message.ts).
      const msg = parse(CwMessageEvent, body);
      return { conversation: msg.conversation, apply: (ctx, _email, place) => applyMessageEdit(ctx, msg, place) };
    }
    default:
      return undefined;
  }
}

export type { ChatwootConnection };
