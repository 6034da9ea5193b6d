import { ErrorBody, type ErrorDetail } from '../contracts/errors';

// The Chrome Web Store updates the extension before a self-hosted server is upgraded, so the
// server may lack something the extension uses: a route (missing-route.ts), a query parameter (its
// 422 names it), search on the Workflows list. Every case is one sentence built here from the same
// parts (which server, that it is older, what it lacks, who fixes it), so an agent in the launcher
// and an admin on the options page read the same words, never the server's as our bug. "Ask
// whoever runs": the agent who reads it in Chatwoot cannot update the server, the admin who can
// knows it means them.

export const UPDATE_SERVER = 'Ask whoever runs the companion server to update it.';

/** `lacks` follows "it": "does not have POST /api/v1/runs/:id/rerun". No address where the page already shows it. */
export const olderServerMessage = (lacks: string, serverUrl?: string) =>
  `The companion server${serverUrl ? ` at ${serverUrl}` : ''} is older than this extension: it ${lacks}. ${UPDATE_SERVER}`;

/** The parameters a 422 says the server does not take; none for any other refusal. */
export function refusedParameters(details: readonly ErrorDetail[]): string[] {
  for (const d of details) {
    const unknown = /^Unknown query parameters? (.+?): /.exec(d.message);
    if (d.path === 'querystring' && unknown) return unknown[1]!.split(', ');
  }
  return [];
}

const quoted = (names: readonly string[]) => names.map((n) => `“${n}”`).join(', ');

/**
 * The sentence for a 422 refusing query parameters the extension sent (lib/contracts/list-query.ts
 * words it "Unknown query parameter launchedBy: this list takes …"); null for any other answer.
 */
export function refusedParametersMessage(status: number, body: unknown, serverUrl: string): string | null {
  if (status !== 422) return null;
  const parsed = ErrorBody.safeParse(body);
  const names = parsed.success ? refusedParameters(parsed.data.error.details ?? []) : [];
  if (!names.length) return null;
  return olderServerMessage(`does not take the ${quoted(names)} parameter${names.length > 1 ? 's' : ''}`, serverUrl);
}
