import type { Step } from '../../../lib/contracts/steps';
import type { WorkflowDefinition } from '../../../lib/contracts/workflow';
import { credentialPlaceholder, URL_USERINFO } from '../../../lib/workflow/credential-placeholders';
import { replaceUrlPathSecret } from '../../../lib/workflow/url-path-secrets';
import { isCredentialName } from '../../outbound/shown-url';

// What an exported HTTP step keeps of its credentials: nothing. A header, URL or body value that
// holds one written out (not a variable) becomes `{{credential: <what>}}`, which publishing
// refuses until the admin types the credential again (lib/workflow/credential-placeholders.ts),
// as n8n's exports name a credential without its data. Variables stay: `Bearer {{$trigger.key}}`
// carries no secret of its own.

/**
 * Header names that carry credentials beyond the URL-parameter words: `Proxy-Authorization`,
 * `X-Auth-User`, `Cookie`, `X-Key`. `auth` as a word of the name, not inside one (`X-Author-Id`).
 */
const CREDENTIAL_HEADER = /(^|[-_])auth(orization|entication|[-_]|$)|cookie|(^|[-_])key($|[-_])/i;
/** Not a credential though named like one: a retry key (the step's own, or `X-Idempotency-Key`). */
const NOT_CREDENTIAL_HEADER = /(^|[-_])idempotency[-_]key$/i;
/** `Bearer abc`: the scheme stays in the file, the rest is the credential. */
const SCHEME = /^(\s*(?:Bearer|Basic|Token|Digest|Bot)\s+)(\S.*)$/is;

/** Text left once every `{{…}}` is taken out: what the admin typed in, not what a run fills. */
const literal = (value: string) => value.replace(/\{\{[^{}]*\}\}/g, '').trim();

const isCredentialHeader = (name: string) =>
  !NOT_CREDENTIAL_HEADER.test(name.trim()) && (isCredentialName(name) || CREDENTIAL_HEADER.test(name));

function header(h: { key: string; value: string }): { key: string; value: string } {
  const scheme = SCHEME.exec(h.value);
  // With a scheme, what follows it is the credential; Bearer and Basic say so under any header name.
  if (scheme && (isCredentialHeader(h.key) || /^\s*(Bearer|Basic)\s/i.test(h.value))) {
    return literal(scheme[2]!) === '' ? h : { key: h.key, value: `${scheme[1]}${credentialPlaceholder(h.key)}` };
  }
  return isCredentialHeader(h.key) && literal(h.value) !== '' ? { key: h.key, value: credentialPlaceholder(h.key) } : h;
}

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;
const decoded = (s: string) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };

/** `a=1&api_key=k`: each credential-named value written out becomes a placeholder. */
function queryPairs(text: string): string {
  return text.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair;
    const name = pair.slice(0, eq);
    return isCredentialName(decoded(name)) && literal(decoded(pair.slice(eq + 1))) !== '' ? `${name}=${credentialPlaceholder(decoded(name))}` : pair;
  }).join('&');
}

function url(text: string): string {
  // A URL that is itself the credential (a Telegram bot, a Slack or Discord webhook) first.
  const withoutPath = replaceUrlPathSecret(text, credentialPlaceholder);
  const withoutUser = withoutPath.replace(USERINFO, (all, scheme: string, userinfo: string) =>
    (literal(userinfo) !== '' ? `${scheme}${credentialPlaceholder(URL_USERINFO)}@` : all));
  const hash = withoutUser.indexOf('#');
  const beforeHash = hash < 0 ? withoutUser : withoutUser.slice(0, hash);
  const q = beforeHash.indexOf('?');
  if (q < 0) return withoutUser;
  return `${beforeHash.slice(0, q)}?${queryPairs(beforeHash.slice(q + 1))}${hash < 0 ? '' : withoutUser.slice(hash)}`;
}

const STRING = /"(?:[^"\\]|\\.)*"/g;
const readString = (json: string): string => { try { return String(JSON.parse(json)); } catch { return json; } };

/**
 * Body keys that hold a credential without saying token or secret: OAuth's refresh call as
 * Django REST framework SimpleJWT and others name it (`{"refresh": "<token>"}`). Not in URLs,
 * where `refresh=1` is a common switch.
 */
const BODY_CREDENTIALS = new Set(['refresh']);
/**
 * Named like a credential, yet data: OAuth's `token_type` ("bearer", RFC 6749 §5.1) and a
 * language model's token budget (`max_tokens`, OpenAI's and Anthropic's request bodies).
 */
const NOT_BODY_CREDENTIALS = /^(token[-_]?type|max[-_]?(output[-_]?|completion[-_]?)?tokens)$/i;
/**
 * A bare `key` is a credential at the top of a body (Mandrill's `{"key": "<API key>"}`), but an
 * identifier inside an object: Jira's `{"fields": {"project": {"key": "HELP"}}}`, a Stripe-like
 * `{"metadata": {"key": …}}`.
 */
const TOP_LEVEL_ONLY = new Set(['key']);
const isBodyCredential = (key: string, depth: number) => {
  const name = key.trim().toLowerCase();
  if (NOT_BODY_CREDENTIALS.test(name) || (TOP_LEVEL_ONLY.has(name) && depth > 1)) return false;
  return isCredentialName(key) || BODY_CREDENTIALS.has(name);
};
/** How many objects and arrays `gap` (JSON between two strings) opens, less those it closes. */
const nesting = (gap: string) => gap.replace(/[^[\]{}]/g, '').split('').reduce((d, c) => d + (c === '{' || c === '[' ? 1 : -1), 0);

/** `"client_secret": "abc"` in a JSON body: the value of a credential-named key, when written out. */
function body(text: string): string {
  const strings = [...text.matchAll(STRING)];
  const replace = new Map<number, string>();
  let depth = 0;
  strings.forEach((m, i) => {
    depth += nesting(text.slice(i === 0 ? 0 : strings[i - 1]!.index + strings[i - 1]![0].length, m.index));
    const next = strings[i + 1];
    const key = readString(m[0]);
    if (!next || !/^\s*:\s*$/.test(text.slice(m.index + m[0].length, next.index))) return;
    if (isBodyCredential(key, depth) && literal(readString(next[0])) !== '') replace.set(next.index, JSON.stringify(credentialPlaceholder(key)));
  });
  if (replace.size === 0) return text;
  let out = '';
  let from = 0;
  for (const m of strings) {
    const by = replace.get(m.index);
    if (by === undefined) continue;
    out += text.slice(from, m.index) + by;
    from = m.index + m[0].length;
  }
  return out + text.slice(from);
}

/** An HTTP step with its credentials replaced by placeholders (any other step as it is). */
export function stepWithoutCredentials(s: Step): Step {
  if (s.type !== 'http_request') return s;
  const { config } = s;
  return {
    ...s,
    config: {
      ...config, url: url(config.url), headers: config.headers.map(header),
      ...(config.body !== undefined ? { body: body(config.body) } : {}),
    },
  };
}

/** The definition as a file holds it: every HTTP step's credentials replaced by placeholders. */
export function withoutCredentials(def: WorkflowDefinition): WorkflowDefinition {
  return { ...def, steps: def.steps.map(stepWithoutCredentials) };
}
