import type { ConversationChannel } from '../../../lib/contracts/conversation-channels';

/**
 * Chatwoot's channel types (app/models/inbox.rb: sms?, facebook?, instagram_direct?, web_widget?,
 * api?, email?, twilio?, twitter?, telegram?, whatsapp?, tiktok?; Channel::Line, Channel::Voice)
 * as the companion names channels. A Twilio inbox is SMS or WhatsApp by its `medium`
 * (`twilio_whatsapp?`), which only the inbox list carries. A type Chatwoot adds later reads as its
 * own name in lowercase (Channel::Weixin → weixin): templates and Branch still see it.
 */
const TYPES: Record<string, ConversationChannel> = {
  'Channel::Whatsapp': 'whatsapp', 'Channel::FacebookPage': 'messenger', 'Channel::Instagram': 'instagram',
  'Channel::Email': 'email', 'Channel::WebWidget': 'web', 'Channel::Sms': 'sms', 'Channel::TwilioSms': 'sms',
  'Channel::Telegram': 'telegram', 'Channel::Line': 'line', 'Channel::TwitterProfile': 'twitter', 'Channel::Tiktok': 'tiktok',
  'Channel::Voice': 'voice', 'Channel::Api': 'api',
};

export function channelOfType(channelType: string | null | undefined, medium?: string | null): string | null {
  if (!channelType) return null;
  if (channelType === 'Channel::TwilioSms' && medium === 'whatsapp') return 'whatsapp';
  const known = TYPES[channelType];
  if (known) return known;
  const name = channelType.replace(/^Channel::/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]/g, '');
  return name.slice(0, 40) || null;
}
