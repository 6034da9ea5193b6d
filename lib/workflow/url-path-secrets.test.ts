import { describe, expect, it } from 'vitest';
import { replaceUrlPathSecret } from './url-path-secrets';

const marked = (url: string) => replaceUrlPathSecret(url, (what) => `<${what}>`);

describe('replaceUrlPathSecret', () => {
  it.each([
    ['https://api.telegram.org/bot123456:AAHsecretTGtoken/sendMessage', 'https://api.telegram.org/bot<Telegram bot token>/sendMessage'],
    ['https://api.telegram.org/file/bot123456:AAHsecretTGtoken/photos/1.jpg', 'https://api.telegram.org/file/bot<Telegram bot token>/photos/1.jpg'],
    ['https://hooks.slack.com/services/T000/B000/SLACKPATHSECRET', 'https://hooks.slack.com/services/<Slack webhook path>'],
    ['https://hooks.slack.com/triggers/T000/123/abcdef/', 'https://hooks.slack.com/triggers/<Slack webhook path>/'],
    ['https://discord.com/api/webhooks/112233/DiscordTok3n-x?wait=true', 'https://discord.com/api/webhooks/112233/<Discord webhook token>?wait=true'],
    ['https://discordapp.com/api/v10/webhooks/112233/DiscordTok3n', 'https://discordapp.com/api/v10/webhooks/112233/<Discord webhook token>'],
    ['https://hooks.zapier.com/hooks/catch/123456/abcdef/', 'https://hooks.zapier.com/hooks/catch/123456/<Zapier hook key>/'],
    ['https://hook.eu1.make.com/a1b2c3d4e5f6', 'https://hook.eu1.make.com/<Make webhook key>'],
    ['https://hook.integromat.com/a1b2c3d4e5f6', 'https://hook.integromat.com/<Make webhook key>'],
    ['https://maker.ifttt.com/trigger/door_open/with/key/dKey123', 'https://maker.ifttt.com/trigger/door_open/with/key/<IFTTT webhook key>'],
    ['https://contoso.webhook.office.com/webhookb2/aa@bb/IncomingWebhook/cc/dd', 'https://contoso.webhook.office.com/webhookb2/<Teams webhook path>'],
    // A variable is no secret of the URL's; other hosts and paths are kept.
    ['https://api.telegram.org/bot{{$trigger.token}}/sendMessage', 'https://api.telegram.org/bot{{$trigger.token}}/sendMessage'],
    ['https://hooks.slack.com/services/{{$contact.fields.hook}}', 'https://hooks.slack.com/services/{{$contact.fields.hook}}'],
    ['https://discord.com/api/channels/1/messages', 'https://discord.com/api/channels/1/messages'],
    ['https://shop.example/bot123/orders', 'https://shop.example/bot123/orders'],
  ])('%s', (url, expected) => {
    expect(marked(url)).toBe(expected);
  });
});
