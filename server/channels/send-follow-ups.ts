import type { Services } from '../services';
import type { ConnectionsTable } from '../store/schema';
import type { DeliveryResult } from './deliver';
import { dropLateFallback, keepLateFallback } from './late-fallback';
import { refusedAsReEngagement } from './meta-advice';
import { splitCaption, type SendSpec } from './send-spec';
import { showTemplateAsSent } from './template-as-sent';

export interface ChannelSent {
  result: DeliveryResult;
  /** What went out under `result` (the fallback template when it replaced the message). */
  sent: SendSpec;
  /** The fallback template replaced the message after WhatsApp refused it with 131047. */
  viaFallback?: true;
  /** A Messenger caption, sent as a message of its own after its attachment: its own delivery. */
  caption?: { result: DeliveryResult; sent: SendSpec };
}

interface FollowUpInput {
  connection: ConnectionsTable;
  conversation: { id: string; contactId: string };
  spec: SendSpec;
  fallback?: SendSpec | undefined;
  sendKey: string;
  note(message: string): void;
}

/**
 * One message as the channel takes it, each part at most once under a key of its own: the
 * message under `sendKey`; when WhatsApp refuses it with 131047 (its 24-hour window closed,
 * whatever our record of the customer's last message said: another path, another clock) the
 * fallback template under `sendKey:fallback`; a Messenger caption after its attachment under
 * `sendKey:caption`. Run again with the same key (a crash, a retry), each part answers from its
 * stored row: nothing goes out twice, and a part not sent yet is sent.
 */
export async function sendWithFollowUps(services: Services, input: FollowUpInput, send: (spec: SendSpec, key: string) => Promise<DeliveryResult>): Promise<ChannelSent> {
  const kind = input.connection.kind === 'messenger' ? 'messenger' : 'whatsapp';
  const { first, caption } = splitCaption(kind, input.spec);
  // WhatsApp may take it and refuse it later by a status webhook: the fallback waits for that (late-fallback.ts).
  const late = kind === 'whatsapp' && input.fallback && first.kind !== 'template' ? input.fallback : undefined;
  if (late) await keepLateFallback(services, { sendKey: input.sendKey, conversationId: input.conversation.id, fallback: late });
  let result = await send(first, input.sendKey);
  if (late && result.status !== 'accepted' && result.status !== 'retrying') await dropLateFallback(services, input.sendKey);
  let out: ChannelSent = { result, sent: first };
  if (kind === 'whatsapp' && input.fallback && first.kind !== 'template' && refusedAsReEngagement(result)) {
    input.note(`WhatsApp refused the message: more than 24 hours passed since the customer last wrote, by WhatsApp's own record (Meta error 131047); sent the fallback template ${input.fallback.template?.name ?? ''} instead`);
    result = await send(input.fallback, `${input.sendKey}:fallback`);
    out = { result, sent: input.fallback, viaFallback: true };
  }
  if (caption && result.status === 'accepted') out.caption = { result: await send(caption, `${input.sendKey}:caption`), sent: caption };
  if (kind === 'whatsapp' && out.sent.template && result.status === 'accepted' && !result.repeated) {
    await showTemplateAsSent(services, input.connection, input.conversation, result.messageId, out.sent.template);
  }
  return out;
}
