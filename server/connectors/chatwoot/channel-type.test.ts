import { describe, expect, it } from 'vitest';
import { channelOfType } from './channel-type';

describe('Chatwoot channel types as the companion names channels', () => {
  it.each([
    ['Channel::Whatsapp', undefined, 'whatsapp'],
    ['Channel::TwilioSms', 'whatsapp', 'whatsapp'],
    ['Channel::TwilioSms', 'sms', 'sms'],
    ['Channel::TwilioSms', undefined, 'sms'],
    ['Channel::FacebookPage', undefined, 'messenger'],
    ['Channel::WebWidget', undefined, 'web'],
    ['Channel::Email', undefined, 'email'],
    ['Channel::Api', undefined, 'api'],
    ['Channel::Telegram', undefined, 'telegram'],
    ['Channel::TwitterProfile', undefined, 'twitter'],
    ['Channel::WhatsappWeb', undefined, 'whatsapp_web'],
    [null, undefined, null],
    ['', undefined, null],
  ])('%s (medium %s) → %s', (type, medium, expected) => {
    expect(channelOfType(type, medium)).toBe(expected);
  });
});
