import type { Workflow } from '../../lib/contracts/workflow';

export type Unreadable = NonNullable<Workflow['unreadableSecrets']>;

/**
 * A workflow whose webhook URL or signing secret was sealed under another secret key than this
 * server's (a database moved without its COMPANION_SECRET_KEY): what cannot be read, and the one
 * way out, since neither can be recovered without the key it was sealed with.
 */
export function unreadableSecretsText(what: Unreadable): string {
  const url = what.includes('url');
  const secret = what.includes('signingSecret');
  const things = url && secret ? 'webhook URL and signing secret' : url ? 'webhook URL' : 'signing secret';
  const todo = [url && 'regenerate the URL', secret && 'set the secret again'].filter(Boolean).join(' and ');
  return `This workflow's ${things} could not be read with this server's secret key: ${todo}.`;
}

/** What it means meanwhile (hook-workflows.ts: deliveries find the URL by its hash; an unreadable secret refuses them). */
export function unreadableSecretsEffect(what: Unreadable): string {
  const said: string[] = [];
  if (what.includes('url')) said.push('Deliveries to the current URL still reach the workflow, but the URL cannot be shown: a new one replaces it (the old one stops working), and the sender needs the new one.');
  if (what.includes('signingSecret')) said.push('Until the secret is set again its deliveries are refused (503), as their signatures cannot be checked; give the sender the new secret, or paste the one it signs with.');
  return said.join(' ');
}
