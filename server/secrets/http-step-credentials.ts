import { Step } from '../../lib/contracts/steps';
import { stepWithoutCredentials } from '../engine/workflows/export-credentials';
import { MIN_MASKED } from '../outbound/mask';

// The credentials an admin wrote into HTTP steps (an `X-Api-Key` header, `Bearer …`, `?api_key=`,
// a URL's user:password, `"client_secret"` in a body) are masked in their workflow's runs
// (http-step-secrets.ts): a run stored by a release before HTTP answers were masked at the source
// (outbound/excerpt.ts) may quote them, and a supervisor or the launching agent reads that run
// without reading the workflow. They are found as a workflow file leaves them out
// (export-credentials.ts): what its placeholders stand for.

const PLACEHOLDER = /\{\{\s*credential:[^{}]*\}\}/g;
const TEMPLATE = /\{\{[^{}]*\}\}/g;
const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const decoded = (s: string) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };
const unquoted = (s: string) => { try { return String(JSON.parse(`"${s}"`)); } catch { return s; } };

/** What `original` holds where `placeheld` (the same text with credentials left out) has placeholders, without the `{{…}}` a run fills in. */
export function replacedPieces(original: string, placeheld: string): string[] {
  if (original === placeheld) return [];
  const fixed = placeheld.split(PLACEHOLDER);
  if (fixed.length < 2) return [];
  const found = new RegExp(`^${fixed.map(escaped).join('([\\s\\S]*?)')}$`).exec(original);
  if (!found) return [];
  return found.slice(1).flatMap((v) => v.split(TEMPLATE)).map((v) => v.trim()).filter((v) => v.length >= MIN_MASKED);
}

/** The credentials written into the HTTP steps of one stored definition's `steps` (as stored: parsed loosely, step by step). */
export function httpStepCredentials(steps: readonly unknown[]): string[] {
  const found: string[] = [];
  for (const raw of steps) {
    if (!raw || typeof raw !== 'object' || (raw as { type?: unknown }).type !== 'http_request') continue;
    const parsed = Step.safeParse(raw);
    if (!parsed.success || parsed.data.type !== 'http_request') continue;
    const held = stepWithoutCredentials(parsed.data);
    if (held.type !== 'http_request') continue;
    const [was, is] = [parsed.data.config, held.config];
    // A URL's credential may be percent-encoded there, a body's JSON-escaped: the clear value is the secret.
    // Of a URL's `user:password`, an error quoting the URL (shown-url.ts aside) may show the password alone.
    const password = (v: string) => (v.includes(':') ? [decoded(v.slice(v.indexOf(':') + 1))] : []);
    found.push(...replacedPieces(was.url, is.url).flatMap((v) => [v, decoded(v), ...password(v)]));
    was.headers.forEach((h, i) => found.push(...replacedPieces(h.value, is.headers[i]?.value ?? h.value)));
    if (was.body !== undefined) found.push(...replacedPieces(was.body, is.body ?? was.body).map(unquoted));
  }
  return found;
}
