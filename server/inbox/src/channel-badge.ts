import type { ConversationChannel } from '../../../lib/contracts/conversation-channels';
import { h } from './dom.js';

// Which channel a conversation is on, at a glance, as respond.io's channel icon on each row and
// Chatwoot's inbox line on each card: a team on WhatsApp, Messenger and the built-in inbox sees
// where a reply goes before opening it. Words, not only a colour: they read aloud and in any theme.

/** Short names for a row (the options page says "Built-in inbox", "Website chat"); a type-only import keeps zod off the page. */
const LABELS: Record<ConversationChannel, string> = {
  whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram', email: 'Email', web: 'Website', sms: 'SMS',
  telegram: 'Telegram', line: 'LINE', twitter: 'X', tiktok: 'TikTok', voice: 'Voice', api: 'API', inbox: 'Built-in',
};

/** A channel's name; one this page does not know (a newer server's) as the server says it. */
export const channelLabel = (channel: string): string => (LABELS as Record<string, string>)[channel] ?? channel;

export interface Placed {
  channelType?: string | null | undefined;
  /** `chatwoot`: it lives in a Chatwoot account (a list row's `inboxKind`, a detail's `inbox.kind`). */
  inboxKind?: string | null | undefined;
  /** That inbox's name there. */
  inboxName?: string | null | undefined;
}

/**
 * The badge's words: a Chatwoot conversation is "Chatwoot" (replies go through Chatwoot, whatever
 * its inbox's channel), the companion's own say their channel; null when not known (a conversation
 * kept from a channel deleted before channels were recorded). `spoken` is what a screen reader hears.
 */
export function channelWords(c: Placed): { key: string; text: string; spoken: string } | null {
  if (c.inboxKind === 'chatwoot') {
    const via = [c.channelType ? channelLabel(c.channelType) : null, c.inboxName ? `inbox ${c.inboxName}` : null].filter(Boolean).join(', ');
    return { key: 'chatwoot', text: 'Chatwoot', spoken: `Channel: Chatwoot${via ? ` (${via})` : ''}` };
  }
  if (!c.channelType) return null;
  const text = channelLabel(c.channelType);
  return { key: c.channelType, text, spoken: `Channel: ${text}` };
}

/** The badge of a list row (null: not known). User data (an inbox's name) only as text and attributes. */
export function channelBadge(c: Placed): HTMLElement | null {
  const words = channelWords(c);
  if (!words) return null;
  return h('span', { class: 'channel-badge', 'data-testid': 'channel-badge', dataset: { channel: words.key }, title: words.spoken },
    h('span', { class: 'visually-hidden', text: `${words.spoken}` }),
    h('span', { 'aria-hidden': 'true', text: words.text }));
}

/** The head's badge (added once, never rebuilt): the channel the customer writes on; a Chatwoot one's own badge names Chatwoot. */
export function createChannelBadge(after: Element): { render(c: Placed): void; hide(): void } {
  const badge = h('span', { class: 'channel-badge', 'data-testid': 'conversation-channel', hidden: true });
  after.after(badge);
  return {
    render(c) {
      const words = channelWords(c.inboxKind === 'chatwoot' ? { channelType: c.channelType } : c);
      badge.hidden = !words;
      if (!words) return;
      badge.dataset.channel = words.key;
      badge.title = words.spoken;
      badge.replaceChildren(h('span', { class: 'visually-hidden', text: 'Channel: ' }), words.text);
    },
    hide() { badge.hidden = true; },
  };
}
