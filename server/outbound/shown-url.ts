// A URL as run logs, errors and the live stream show it. An HTTP step's URL may carry credentials
// (`https://user:pw@host/`, `?api_key=…`, a Telegram bot's or Slack webhook's path) that belong
// to whoever edits the workflow, not to every reader of its runs: they are replaced by `***`, the
// rest kept exactly as written.

import { replaceUrlPathSecret, urlPathSecret } from '../../lib/workflow/url-path-secrets';

const HIDDEN = '***';
/** Query parameter names that hold credentials (`access_token`, `client_secret`, `apiKey`…). */
const SECRET_WORDS = /token|secret|passw|credential|signature|api[-_]?key|access[-_]?key|private[-_]?key|session/i;
/** Short names too common as words to match inside others (`key`, not `monkey`). */
const SECRET_NAMES = new Set(['key', 'sig', 'pwd', 'pass', 'auth', 'authorization', 'apikey', 'jwt']);

/** `scheme://` then the authority: userinfo is everything up to its last `@` (before any / ? #). */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;

const decoded = (s: string) => {
  try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; }
};
const isSecretParam = (name: string) => isCredentialName(decoded(name));

/** Whether a query parameter or header name says it holds a credential (`access_token`, `X-Api-Key`, `sig`). */
export function isCredentialName(name: string): boolean {
  const n = name.trim();
  return SECRET_WORDS.test(n) || SECRET_NAMES.has(n.toLowerCase());
}

/** Each `name=value` of a query string, as written. */
const queryPairs = (query: string) => query.split('&').map((pair) => {
  const eq = pair.indexOf('=');
  return eq < 0 ? { name: pair, value: undefined } : { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
});

/** Splits `…?query#fragment` into the part before the query, the query (without `?`) and the rest. */
function splitQuery(url: string): [string, string | undefined, string] {
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const q = beforeHash.indexOf('?');
  return q < 0 ? [beforeHash, undefined, fragment] : [beforeHash.slice(0, q), beforeHash.slice(q + 1), fragment];
}

/** The URL with its userinfo and the values of credential-named query parameters replaced by `***`. */
export function shownUrl(url: string): string {
  const [head, query, fragment] = splitQuery(replaceUrlPathSecret(url, () => HIDDEN).replace(USERINFO, `$1${HIDDEN}@`));
  if (query === undefined) return head + fragment;
  const shown = queryPairs(query).map(({ name, value }) => (value !== undefined && value !== '' && isSecretParam(name) ? `${name}=${HIDDEN}` : value === undefined ? name : `${name}=${value}`));
  return `${head}?${shown.join('&')}${fragment}`;
}

/**
 * The credentials a URL carries (its user, password and credential-named query values), as
 * written and decoded, for masking wherever the other side's answer repeats them.
 */
export function urlSecrets(url: string): string[] {
  const secrets: string[] = [];
  const userinfo = USERINFO.exec(url)?.[2];
  if (userinfo) {
    const colon = userinfo.indexOf(':');
    const [user, password] = colon < 0 ? [userinfo, ''] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
    for (const part of [user, password]) if (part) secrets.push(part, decoded(part));
    // They travel as `Authorization: Basic base64(user:password)`, which an answer may quote.
    secrets.push(Buffer.from(`${decoded(user)}:${decoded(password)}`).toString('base64'));
  }
  // A URL that is itself the credential (a Slack webhook's `T…/B…/<secret>`): the whole and each segment.
  const inPath = urlPathSecret(url);
  if (inPath) {
    const secret = url.slice(inPath.start, inPath.end);
    secrets.push(secret, ...secret.split('/').filter(Boolean));
  }
  const query = splitQuery(url)[1];
  for (const { name, value } of query === undefined ? [] : queryPairs(query)) {
    if (value && isSecretParam(name)) secrets.push(value, decoded(value));
  }
  return [...new Set(secrets)];
}
