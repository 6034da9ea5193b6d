import { describe, expect, it } from 'vitest';
import { mayCarryToken } from './whatsapp-media';

// The channel's token goes with the media download only to Meta (or the Graph API the server is
// configured with, a stand-in in tests): a media URL naming any other host is not followed.
describe('mayCarryToken', () => {
  it.each([
    ['https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1', true],
    ['https://scontent.xx.fbcdn.net/v/x.jpg', true],
    ['https://graph.facebook.com/v21.0/123', true],
    ['https://mmg.whatsapp.net/d/f/x.enc', true],
    ['http://lookaside.fbsbx.com/whatsapp_business/attachments/', false],
    ['https://fbsbx.com.attacker.example/x', false],
    ['https://evilfbsbx.com/x', false],
    ['https://example.com/x', false],
    ['http://127.0.0.1:4000/whatsapp_business/attachments/', true],
    ['http://127.0.0.1:4001/whatsapp_business/attachments/', false],
  ])('%s → %s', (url, allowed) => {
    expect(mayCarryToken(new URL(url), 'http://127.0.0.1:4000/v21.0')).toBe(allowed);
  });
});
