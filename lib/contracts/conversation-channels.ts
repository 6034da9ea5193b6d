import { z } from 'zod';

/**
 * Where a conversation's customer writes, in one word whichever inbox carries it, so a workflow
 * can tell a WhatsApp conversation from a website chat (Chatwoot's automations have an "Inbox"
 * condition; respond.io's triggers filter by channel). A Chatwoot conversation takes its inbox's
 * channel type (Channel::Whatsapp → whatsapp, Channel::WebWidget → web, …); one on the companion's
 * own WhatsApp number or Facebook Page is whatsapp / messenger; the built-in inbox's is `inbox`.
 */
export const CONVERSATION_CHANNELS = [
  'whatsapp', 'messenger', 'instagram', 'email', 'web', 'sms', 'telegram', 'line', 'twitter', 'tiktok', 'voice', 'api', 'inbox',
] as const;
export const ConversationChannel = z.enum(CONVERSATION_CHANNELS);
export type ConversationChannel = z.infer<typeof ConversationChannel>;
/** The built-in inbox's channel (a conversation no connection carries). */
export const BUILT_IN_CHANNEL = 'inbox' satisfies ConversationChannel;

export const CONVERSATION_CHANNEL_LABELS: Record<ConversationChannel, string> = {
  whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram', email: 'Email', web: 'Website chat', sms: 'SMS',
  telegram: 'Telegram', line: 'LINE', twitter: 'X (Twitter)', tiktok: 'TikTok', voice: 'Voice', api: 'API', inbox: 'Built-in inbox',
};
