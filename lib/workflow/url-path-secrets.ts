// Services whose URL is itself the credential: whoever has it may post. A Telegram bot token, a
// Slack / Teams incoming webhook, a Discord webhook's token, a Zapier or Make hook key, an IFTTT
// key. They sit in the path, where credential-named query parameters and `user:pw@` rules never
// look, so each is known by its host and the place of the secret in its path.
//   Telegram: https://core.telegram.org/bots/api#making-requests ("https://api.telegram.org/bot<token>/METHOD_NAME")
//   Slack: https://api.slack.com/messaging/webhooks ("Keep it secret, keep it safe")
//   Discord: https://discord.com/developers/docs/resources/webhook#execute-webhook (/webhooks/{webhook.id}/{webhook.token})
//   Zapier: https://help.zapier.com/hc/en-us/articles/8496288690317 (Catch Hook: hooks.zapier.com/hooks/catch/<account>/<hook>/)
//   Make: https://www.make.com/en/help/tools/webhooks (hook.<zone>.make.com/<key>)
//   IFTTT: https://ifttt.com/maker_webhooks (maker.ifttt.com/trigger/<event>/with/key/<key>)
//   Teams: https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook

/** `before` ends where the secret starts; `secret` runs to the end of the path (`rest: true`) or of its segment. */
const SHAPES: { what: string; before: RegExp; rest?: boolean }[] = [
  { what: 'Telegram bot token', before: /^https?:\/\/api\.telegram\.org\/(?:file\/)?bot/i },
  { what: 'Slack webhook path', before: /^https?:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\//i, rest: true },
  { what: 'Discord webhook token', before: /^https?:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/[^/?#]+\//i },
  { what: 'Zapier hook key', before: /^https?:\/\/hooks\.zapier\.com\/hooks\/(?:catch|standard)\/[^/?#]+\//i },
  { what: 'Make webhook key', before: /^https?:\/\/hook\.(?:[a-z0-9-]+\.)?(?:make|integromat)\.com\//i },
  { what: 'IFTTT webhook key', before: /^https?:\/\/maker\.ifttt\.com\/trigger\/[^/?#]+\/(?:json\/)?with\/key\//i },
  { what: 'Teams webhook path', before: /^https?:\/\/(?:[a-z0-9-]+\.webhook\.office\.com\/webhookb2|outlook\.office(?:365)?\.com\/webhook)\//i, rest: true },
];

/** Text left once every `{{…}}` is taken out: what was typed in, not what a run fills. */
const literal = (value: string) => value.replace(/\{\{[^{}]*\}\}/g, '').trim();

/** The secret a URL carries in its path, written out (not a variable): where it is and what it is. */
export function urlPathSecret(url: string): { start: number; end: number; what: string } | undefined {
  for (const shape of SHAPES) {
    const before = shape.before.exec(url);
    if (!before) continue;
    const start = before[0].length;
    const tail = url.slice(start);
    const length = tail.search(shape.rest ? /[?#]/ : /[/?#]/);
    const end = start + (length < 0 ? tail.length : length);
    if (literal(url.slice(start, end).replace(/\/+$/, '')) === '') return undefined;
    return { start, end: shape.rest ? start + url.slice(start, end).replace(/\/+$/, '').length : end, what: shape.what };
  }
  return undefined;
}

/** The URL with its path secret replaced by `by(what)`; as written when it has none. */
export function replaceUrlPathSecret(url: string, by: (what: string) => string): string {
  const found = urlPathSecret(url);
  return found ? url.slice(0, found.start) + by(found.what) + url.slice(found.end) : url;
}

/** The names above, for saying where a left-out credential goes. */
export const URL_PATH_SECRETS: readonly string[] = SHAPES.map((s) => s.what);
