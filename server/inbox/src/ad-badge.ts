import { $, h } from './dom.js';
import type { ConversationDetail } from './wire.js';

// The Click-to-WhatsApp / Click-to-Messenger ad a conversation came from, in its header: agents
// answer "the offer in the ad" knowing which ad (respond.io shows it on the conversation too).

const CHANNEL: Record<string, string> = { whatsapp: 'WhatsApp', messenger: 'Messenger' };

/** Only a web address opens; anything else a payload could carry stays text. */
const webLink = (url: string | null): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

/** The badge after the conversation's meta line (added once, never rebuilt). */
export function createAdBadge(): { render(c: ConversationDetail): void } {
  const badge = h('a', { class: 'ad-badge', 'data-testid': 'conversation-ad', target: '_blank', rel: 'noopener noreferrer', hidden: true });
  $('[data-testid="conversation-meta"]').after(badge);
  return {
    render(c) {
      const ad = c.adReferral ?? null;
      badge.hidden = !ad;
      if (!ad) return;
      badge.textContent = `From ad: ${ad.adName || ad.adId}`;
      const link = webLink(ad.sourceUrl);
      if (link) badge.setAttribute('href', link);
      else badge.removeAttribute('href');
      badge.title = [
        `Opened from a Click-to-${CHANNEL[ad.channel] ?? ad.channel} ad (${ad.adId})`,
        ad.headline ? `Headline: ${ad.headline}` : null,
        ad.body ? `Text: ${ad.body}` : null,
        link ? 'Opens the ad' : null,
      ].filter(Boolean).join('\n');
    },
  };
}
