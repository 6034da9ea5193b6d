// What a sealed column holds once `npm run forget-secrets` cleared it (forget.ts): neither a
// sealed value (`v1.…`) nor one stored before sealing, so nothing opens it, re-seals it as plain
// text (at-rest.ts sealStoredSecrets) or takes it for a check value (key-check.ts). An empty or
// null column would have meant "none" instead: a webhook without a signing secret takes unsigned
// deliveries, an app without one is sent unsigned requests.
export const FORGOTTEN = 'forgotten';
export const isForgotten = (stored: string | null | undefined) => stored === FORGOTTEN;

/** Where the admin reads why a credential is missing: the command that forgot it. */
const WHEN = 'when the server\'s secret key was replaced (npm run forget-secrets)';

/** What each kind of credential needs, in the words of the page where it is entered again. */
export const forgottenText = {
  channel: `Its access token was forgotten ${WHEN}: paste it again (Settings → Channels → Replace token).`,
  adAccount: `Its access token was forgotten ${WHEN}: unlink the ad account and link it again with an access token (its synced ads stay).`,
  chatwoot: `This Chatwoot account's API access token and webhook secret were forgotten ${WHEN}. Save a new API access token (Settings → Chatwoot); its webhook URL is new too: in Chatwoot (Settings → Integrations → Webhooks) put it in place of the old one, which stopped working, and save that webhook's secret in Settings → Chatwoot.`,
  connection: `Its credentials were forgotten ${WHEN}: connect it again.`,
  appSigningSecret: `This app's signing secret was forgotten ${WHEN}: rotate it (Mini-apps → Rotate signing secret) and give the new one to the app's server; until then nothing is sent to the app.`,
  appAuthValues: `The values entered when this app was installed were forgotten ${WHEN}: enter them again (Mini-apps → Enter install values again).`,
} as const;
