/**
 * Whether two connections name the same Chatwoot account. Chatwoot knows itself by its own
 * address (FRONTEND_URL), which an admin may have typed differently each time: `http://` before
 * TLS was set up and `https://` since, a capital letter in the host, `:443`, a trailing slash. The
 * account id is only unique within one Chatwoot, so it is the account id and the host (lowercased,
 * without a default port) and path; the scheme does not count: the same host and account answering
 * over TLS is the same Chatwoot, and reconnecting it re-links what was mirrored (tombstones.ts)
 * instead of opening every conversation anew beside a set-aside copy.
 */
export function chatwootAddress(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    // URL drops only its own scheme's default port: http://x:443 and https://x:80 are unusual but the same host.
    const port = url.port === '80' || url.port === '443' ? '' : url.port;
    return `${url.hostname}${port ? `:${port}` : ''}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl.trim().toLowerCase();
  }
}

export const sameChatwootAccount = (a: { baseUrl: string; accountId: number }, b: { baseUrl: string; accountId: number }) =>
  a.accountId === b.accountId && chatwootAddress(a.baseUrl) === chatwootAddress(b.baseUrl);
