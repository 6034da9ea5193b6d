import type { ChannelWindow } from '../../lib/contracts/channels';
import { textTooLong, type SendSpec } from './send-spec';
import { HUMAN_AGENT_MS } from './window';

// What Meta takes from an agent's reply in the inbox (POST /conversations/:id/messages, a try
// later, Resend), in words addressed to the agent. A workflow's step is planned by policy.ts, whose
// words speak of the step (its fallback template, its messaging type).
// WhatsApp outside the 24-hour customer-service window: only an approved template
// (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows).
// Messenger outside it: a person's reply tagged HUMAN_AGENT up to 7 days after the customer's last
// message; "Automated messages are not allowed" under that tag, so a bot user's or an API key's
// reply is not tagged (https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags).

/** Who replies: a person (a human user) may use Messenger's Human Agent tag; a bot user or an app key may not. */
export interface Replier { human: boolean }

export const HUMAN_AGENT_NOTE = 'Sent as a Human Agent reply (Meta allows it up to 7 days after the customer’s last message)';

/** "30 hours ago", "8 days ago". */
export function agoText(iso: string, now: number): string {
  const hours = Math.max(0, Math.floor((now - Date.parse(iso)) / 3_600_000));
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** The spec to send (Messenger's tag added when it needs one), or why it cannot go, for the agent. */
export function planAgentReply(kind: 'whatsapp' | 'messenger', spec: SendSpec, window: ChannelWindow, replier: Replier, now = Date.now()): { spec: SendSpec; note?: string } | { error: string } {
  const plan = planInWindow(kind, spec, window, replier, now);
  // Too long for the channel (Messenger's 2,000: the API body takes 4,096): said before Meta refuses it.
  const long = 'spec' in plan ? textTooLong(kind, plan.spec) : null;
  return long ? { error: long } : plan;
}

function planInWindow(kind: 'whatsapp' | 'messenger', spec: SendSpec, window: ChannelWindow, replier: Replier, now: number): { spec: SendSpec; note?: string } | { error: string } {
  const last = window.lastIncomingAt ?? null;
  const wrote = last ? `The customer last wrote ${agoText(last, now)}` : null;
  if (kind === 'whatsapp') {
    if (window.open || spec.kind === 'template') return { spec };
    // Closed by WhatsApp's own record (131047, window.ts), whatever our clock of the customer says.
    if (window.refusedAt) return { error: 'WhatsApp refused the last reply as sent more than 24 hours after the customer last wrote (by its own record): it allows only a template until they write again. Pick one under Templates.' };
    return { error: wrote
      ? `${wrote}, so the 24-hour window is closed: WhatsApp allows only a template now. Pick one under Templates.`
      : 'The customer has not written on WhatsApp yet: WhatsApp allows only a template until they do. Pick one under Templates.' };
  }
  if (spec.kind === 'template') return { error: 'Templates are WhatsApp’s: on Messenger, write your reply as text.' };
  if (window.open) return { spec };
  if (!last || !wrote) return { error: 'The customer has not written on Messenger yet: a Page can only answer a person who wrote to it.' };
  if (Date.parse(last) + HUMAN_AGENT_MS <= now) {
    return { error: `${wrote}: Messenger allows a reply after 24 hours only up to 7 days after the customer’s last message. It can be sent once they write again.` };
  }
  if (!replier.human) {
    return { error: `${wrote}: after 24 hours Messenger takes only a reply a person writes (the Human Agent tag), which Meta does not allow for bots or automated replies.` };
  }
  return { spec: { ...spec, messenger: { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } }, note: HUMAN_AGENT_NOTE };
}
