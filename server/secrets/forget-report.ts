import type { ForgetSummary } from './forget';

// What `npm run forget-secrets` prints: each thing that lost a credential, by the name the admin
// gave it, with where to enter it again (the same words the options page shows on it).

const names = (items: { name: string; kind?: string }[], kinds: Record<string, string> = {}) =>
  items.map((i) => `"${i.name}"${i.kind && kinds[i.kind] ? ` (${kinds[i.kind]})` : ''}`).join(', ');
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const WHAT = { url: 'URL', signingSecret: 'signing secret', authValues: 'install values' } as const;

/** The lines saying what was forgotten and what each needs; none when nothing but the key check was sealed. */
export function forgottenLines(s: ForgetSummary): string[] {
  const lines: string[] = [];
  if (s.channels.length) {
    lines.push(`- ${count(s.channels.length, 'channel')}: ${names(s.channels, { whatsapp: 'WhatsApp', messenger: 'Messenger' })}: paste each access token again (Settings → Channels → Replace token); replies and sends fail until then, incoming messages still arrive.`);
  }
  if (s.adAccounts.length) {
    lines.push(`- ${count(s.adAccounts.length, 'ad account')}: ${names(s.adAccounts)}: unlink each and link it again with an access token (Settings → Ad accounts; its synced ads stay).`);
  }
  if (s.chatwootAccounts.length) {
    lines.push(`- ${count(s.chatwootAccounts.length, 'Chatwoot account')}: ${names(s.chatwootAccounts)}: save a new API access token (Settings → Chatwoot); each has a new webhook URL: put it in Chatwoot (Settings → Integrations → Webhooks) in place of the old one, which stopped working, and paste that webhook's secret. A sync after the new token repairs what was missed.`);
  }
  if (s.disconnectedChatwoot) {
    lines.push(`- ${count(s.disconnectedChatwoot, 'disconnected Chatwoot account')}: connecting one again still picks up its conversations, with a new webhook URL.`);
  }
  if (s.otherConnections.length) lines.push(`- ${count(s.otherConnections.length, 'other connection')}: ${names(s.otherConnections)}: connect each again.`);
  if (s.workflows.length) {
    const listed = s.workflows.map((w) => `"${w.name}" (${w.forgot.map((f) => WHAT[f]).join(', ')})`).join(', ');
    lines.push(`- ${count(s.workflows.length, 'webhook workflow')}: ${listed}: in each workflow's editor, Regenerate URL and give the sender the new one, and Set a new signing secret; until then deliveries to the old URL still arrive, and those of a workflow that requires signatures are refused (503).`);
  }
  if (s.apps.length) {
    const listed = s.apps.map((a) => `"${a.name}" (${a.forgot.map((f) => WHAT[f]).join(', ')})`).join(', ');
    lines.push(`- ${count(s.apps.length, 'mini-app')}: ${listed}: Rotate signing secret and give the new one to the app's server (nothing is sent to the app until then); install values: Enter install values again on the app's card (Mini-apps).`);
  }
  return lines;
}
