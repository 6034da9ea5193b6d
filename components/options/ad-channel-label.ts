import { AD_CHANNEL_LABELS } from '../../lib/contracts/ads';

// Meta's placement codes (`whatsapp_cloud_api`) mean nothing to an admin: the words Meta's Ads
// Manager uses. A channel a synced ad has that no workflow takes still reads as a word.
const OTHER_CHANNELS: Record<string, string> = { instagram: 'Instagram' };

/** An ad's channel in words: `whatsapp_cloud_api` -> "WhatsApp Cloud API"; an unknown code as it is. */
export const adChannelLabel = (channel: string) =>
  AD_CHANNEL_LABELS[channel as keyof typeof AD_CHANNEL_LABELS] ?? OTHER_CHANNELS[channel] ?? channel;
