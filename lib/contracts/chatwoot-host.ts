/**
 * The host a Chatwoot address names (lower case, without a trailing root dot), or null for no URL.
 * The connected access token is sent only to this host: http → https, a reverse proxy's port or a
 * path prefix on it are the same machine's operator, another host name may be anyone's, so moving
 * there needs the token typed again (server/connectors/chatwoot/connections.ts, and the options
 * page's Address field asks for it).
 */
export function chatwootHost(baseUrl: string): string | null {
  try {
    return new URL(baseUrl.trim()).hostname.replace(/\.$/, '');
  } catch {
    return null;
  }
}

export const sameChatwootHost = (a: string, b: string) => {
  const host = chatwootHost(a);
  return host !== null && host === chatwootHost(b);
};
