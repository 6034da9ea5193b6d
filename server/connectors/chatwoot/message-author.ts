import { isIncoming, type CwMessageEvent } from './payloads';

/**
 * Who wrote a Chatwoot message, as its mirror stores it. `message_created` and `message_updated`
 * carry the same `message.webhook_data` behind the same `webhook_sendable?` check
 * (app/listeners/webhook_listener.rb:26-42 @ 03df4e06), so both read it here. A private note is
 * outgoing with `private: true`; an agent bot's message (the companion's own echo, or another
 * bot's) is outgoing but no person's reply (it sets no first response time).
 */
export function messageAuthor(msg: Pick<CwMessageEvent, 'message_type' | 'private' | 'sender'>): { from: 'contact' | 'agent' | 'note'; bot?: { name: string | null } } {
  if (isIncoming(msg.message_type)) return { from: 'contact' };
  const from = msg.private ? 'note' : 'agent';
  return msg.sender?.type === 'agent_bot' ? { from, bot: { name: msg.sender.name ?? null } } : { from };
}
