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
 * `X-Auth-User`, `Cookie`, `X-Key`, and a name that starts a word with `auth`: MSG91's `authkey`
 * header (its v5 API, e.g. `POST control.msg91.com/api/v5/flow/` with `authkey: <Authkey>`; n8n's
 * MSG91 credential names it "Authkey", docs.n8n.io/credentials/msg91). Not `author`: `X-Author-Id`
 * is data, `Authorization` is not.
 */
const CREDENTIAL_HEADER = /(^|[-_])o?auth(?!or(?!i[sz]))|cookie|(^|[-_])key($|[-_])/i;
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
 * A bare `key` is a credential at the top of a body (Mandrill's `{"key": "<API key>"}`) and in an
 * object named for what it authenticates (`{"auth": {"key": …}}`, `{"credentials": {"key": …}}`,
 * `{"api": {"key": …}}`), but an identifier in any other object: Jira's
 * `{"fields": {"project": {"key": "HELP"}}}`, a Stripe-like `{"metadata": {"key": …}}`. In a body
 * that is a list, an item holding only credentials (`[{"key": …}]`, `[{"key": …, "secret": …}]`)
 * is one; an item with data beside it (`[{"key": "HELP-1", "fields": …}]`) is not.
 */
const NAMED_ONLY = new Set(['key']);
/** Names of an object that holds credentials, beyond credential-like names (`auth`, `credentials`, `api_key`). */
const AUTH_OBJECTS = new Set(['api', 'authentication', 'login']);
const isAuthObject = (name: string | undefined) => name !== undefined && (isCredentialName(name) || AUTH_OBJECTS.has(name.trim().toLowerCase()));

const isNamedCredential = (key: string) => {
  const name = key.trim().toLowerCase();
  return !NOT_BODY_CREDENTIALS.test(name) && (isCredentialName(key) || BODY_CREDENTIALS.has(name));
};

/** An object or array open where a string is read: its name (the key it is the value of) and, for an object, the keys read in it so far. */
type Open = { kind: '{' | '['; name?: string; keys: string[] };
/** A credential-named key with a value written out: in `object`, `depth` objects and lists deep, inside `parent`. */
type Found = { at: number; key: string; depth: number; object: Open; parent: Open | undefined };

/** Whether a credential-named key holds a credential where it stands. */
function isBodyCredential({ key, depth, object, parent }: Found): boolean {
  if (!NAMED_ONLY.has(key.trim().toLowerCase()) || depth === 1 || !parent) return true;
  // The object's own name, or for an item of a list, the list's.
  if (isAuthObject(object.name ?? (parent.kind === '[' ? parent.name : undefined))) return true;
  return depth === 2 && parent.kind === '[' && object.keys.every(isNamedCredential);
}

/** `"client_secret": "abc"` in a JSON body: the value of a credential-named key, when written out. */
function body(text: string): string {
  const strings = [...text.matchAll(STRING)];
  const found: Found[] = [];
  const open: Open[] = [];
  // A body may hold `{{…}}` outside strings (`"total": {{$trigger.total}}`): its braces open and close in one gap.
  let lastKey: string | undefined;
  let depthAtKey = 0;
  strings.forEach((m, i) => {
    for (let j = i === 0 ? 0 : strings[i - 1]!.index + strings[i - 1]![0].length; j < m.index; j++) {
      const c = text[j]!;
      if (c === '{' || c === '[') {
        // Named by the key just before it (`"auth": {`), not a list's item or a template's brace.
        const named = lastKey !== undefined && open.length === depthAtKey;
        open.push({ kind: c, ...(named ? { name: lastKey } : {}), keys: [] });
        lastKey = undefined;
      } else if (c === '}' || c === ']') open.pop();
    }
    lastKey = undefined;
    const next = strings[i + 1];
    const after = text.slice(m.index + m[0].length, next ? next.index : undefined);
    const object = open.at(-1);
    if (!/^\s*:/.test(after) || object?.kind !== '{') return;
    const key = readString(m[0]);
    object.keys.push(key);
    if (/^\s*:\s*[{[]/.test(after)) {
      lastKey = key;
      depthAtKey = open.length;
    } else if (next && /^\s*:\s*$/.test(after) && isNamedCredential(key) && literal(readString(next[0])) !== '') {
      found.push({ at: next.index, key, depth: open.length, object, parent: open.at(-2) });
    }
  });
  // Decided once the whole body is read: an item of a list is a credential by what else it holds.
  const replace = new Map(found.filter(isBodyCredential).map((f) => [f.at, JSON.stringify(credentialPlaceholder(f.key))]));
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
