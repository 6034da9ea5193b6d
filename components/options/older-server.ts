import type { ErrorDetail } from '../../lib/contracts/errors';

// The Chrome Web Store updates the extension before a self-hosted server is upgraded: a query
// parameter the extension sends may be one the server does not know yet. The server refuses it
// (422 on `querystring`, "Unknown query parameter limit: this list takes none"), which said in
// the server's words reads as the extension's bug; said in these, the admin knows what to do.

/** The parameters a 422 says the server does not take; none for any other refusal. */
export function refusedParameters(details: readonly ErrorDetail[]): string[] {
  for (const d of details) {
    const unknown = /^Unknown query parameters? (.+?): /.exec(d.message);
    if (d.path === 'querystring' && unknown) return unknown[1]!.split(', ');
  }
  return [];
}

export const UPGRADE_SERVER = 'Ask whoever runs the companion server to upgrade it.';

export const olderServerMessage = (names: readonly string[]) =>
  `The companion server is older than this extension: it does not take ${names.map((n) => `“${n}”`).join(', ')}. ${UPGRADE_SERVER}`;
