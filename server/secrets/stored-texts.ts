import type { Run, StepLogEntry } from '../../lib/contracts/runs';
import { redactTokenShapes } from '../logging';
import { masked } from '../outbound/mask';
import type { Db } from '../store/database';
import type { Vault } from './vault';
import { isWordLike, wholeWordsMasked } from './whole-words';
import { maskingSecrets, type MaskingSecrets } from './masking-secrets';

// Errors stored before the masking at their source (graph-secrets.ts, chatwoot/answer-secrets.ts,
// apps/hide-secrets.ts, outbound/excerpt.ts) can quote a credential: a run's error and its step
// log, a channel's last error, an app delivery's, the thread's "Not sent: …" line. They are masked
// here as the API shows them, with the workspace's own credentials (however escaped: mask.ts) and
// what the log hides by shape (logging.ts: Meta's EAA… tokens, our ict_/ica_ keys and whsec_ secrets).
// Only on reads: the engine's round never comes here, and nothing stored is rewritten (a startup
// scrub would unseal every secret and rewrite every run).

export type ShowStored = (text: string) => string;

/** What masked() finds by itself (issued ict_/ica_ tokens). */
const ISSUED = /ic[ta]_/;
const ALNUM_RUNS = /[A-Za-z0-9]{4,}/g;
/** How many characters of each secret's anchor the scan compares by hash. */
const GRAM = 8;
const BASE = 257;

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Which texts may hold a secret, found in one pass: each secret by the start of its longest run of
 * letters and digits (its anchor), which no encoder escapes (JSON, percent-encoding and HTML escape
 * the other characters), so a secret in any escaping still shows it. The scan keeps a rolling hash
 * of the last few letters and digits and looks it up among the anchors' (a regular expression of
 * the anchors, or an `includes` per secret, cost as much as reading the page: 2–10 ms for 50 runs).
 * Only a text with a hit goes through masked(), which reads each escape back up to three times.
 */
interface Finder { gram: number; starts: Set<number>; seen: Uint8Array; power: number; anchorless: boolean }
/** Hashes kept to 30 bits: small integers for V8 (a wider one is a heap number per character). */
const MASK = 0x3fffffff;
/** A first, cheap look-up (one byte per 16 bits of hash) before the set's. */
const SEEN_BITS = 0xffff;
const finders = new WeakMap<readonly string[], Finder>();

function hashOf(text: string, from: number, length: number): number {
  let h = 0;
  for (let i = from; i < from + length; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) & MASK;
  return h;
}

function finderOf(secrets: readonly string[]): Finder {
  const kept = finders.get(secrets);
  if (kept) return kept;
  const anchors: string[] = [];
  let anchorless = false;
  for (const secret of secrets) {
    const anchor = (secret.match(ALNUM_RUNS) ?? []).sort((a, b) => b.length - a.length)[0];
    if (anchor) anchors.push(anchor);
    else anchorless = true;
  }
  const gram = Math.min(GRAM, ...anchors.map((a) => a.length));
  let power = 1;
  for (let i = 1; i < gram; i++) power = Math.imul(power, BASE);
  const starts = new Set(anchors.map((a) => hashOf(a, 0, gram)));
  const seen = new Uint8Array(SEEN_BITS + 1);
  for (const h of starts) seen[h & SEEN_BITS] = 1;
  const finder = { gram, starts, seen, power, anchorless };
  finders.set(secrets, finder);
  return finder;
}

/** Whether `text` has a run of letters and digits that starts like a secret's anchor. */
function mayHold(text: string, f: Finder): boolean {
  if (f.starts.size === 0) return false;
  let h = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isAlnum(c)) { run = 0; h = 0; continue; }
    if (run >= f.gram) h = (h - Math.imul(text.charCodeAt(i - f.gram), f.power)) & MASK;
    h = (Math.imul(h, BASE) + c) & MASK;
    run++;
    if (run >= f.gram && f.seen[h & SEEN_BITS] === 1 && f.starts.has(h)) return true;
  }
  return false;
}

/** The secrets masked wherever they are (tokens), and those masked only as words of their own (whole-words.ts). */
const kinds = new WeakMap<readonly string[], { tokens: string[]; words: string[] }>();
function kindsOf(secrets: readonly string[]) {
  let kept = kinds.get(secrets);
  if (!kept) kinds.set(secrets, (kept = { tokens: secrets.filter((s) => !isWordLike(s)), words: secrets.filter(isWordLike) }));
  return kept;
}

/** `text` with the workspace's `secrets` (and issued tokens) masked, however escaped; as it is when it holds none. */
function withoutWorkspaceSecrets(text: string, secrets: readonly string[]): string {
  const finder = finderOf(secrets);
  const may = mayHold(text, finder) || (finder.anchorless && /[\\%&]/.test(text)) || ISSUED.test(text);
  if (!may) return text;
  const { tokens, words } = kindsOf(secrets);
  const shown = masked(text, tokens);
  return words.length > 0 ? wholeWordsMasked(shown, words) : shown;
}

/**
 * A stored error or note as shown: `secrets` masked, and credentials known by their shape. Shapes
 * only, not redactText's named values and URL queries: those rewrite the prose a stored error was
 * written in ("Error validating access token: Session has expired", `?api_key=***`).
 */
export const shownWith = (secrets: readonly string[]): ShowStored => (text) => redactTokenShapes(withoutWorkspaceSecrets(text, secrets));

/** A masker for stored texts of this database; cheap for texts that hold no secret (most). */
export async function storedTextMasker(db: Db, vault: Vault): Promise<ShowStored> {
  return shownWith((await maskingSecrets(db, vault)).workspace);
}

/** The workspace's secrets and those of one workflow's HTTP steps, one array per pair (finders are cached per array). */
const withOwn = new WeakMap<readonly string[], { workspace: readonly string[]; all: readonly string[] }>();
function secretsOfRunsOf(secrets: MaskingSecrets, workflowId: string): readonly string[] {
  const own = secrets.byWorkflow.get(workflowId);
  if (!own) return secrets.workspace;
  const kept = withOwn.get(own);
  if (kept && kept.workspace === secrets.workspace) return kept.all;
  const all = [...new Set([...secrets.workspace, ...own])].sort((a, b) => b.length - a.length);
  withOwn.set(own, { workspace: secrets.workspace, all });
  return all;
}

/** A masker for a stored text of one workflow's runs (a `run.updated` event's error): its HTTP steps' credentials too. */
export async function runTextMasker(db: Db, vault: Vault, workflowId: string): Promise<ShowStored> {
  return shownWith(secretsOfRunsOf(await maskingSecrets(db, vault), workflowId));
}

/** Only the workspace's own credentials, no shapes: for a step's output, which is data (a payload may name a `token` field). */
function outputMasked(value: unknown, show: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return show(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => outputMasked(v, show, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, outputMasked(v, show, depth + 1)]));
}

/** A run as the API shows it: its error, and each step's error, notes and output, masked. */
export async function runMasker(db: Db, vault: Vault): Promise<<T extends Run>(run: T) => T> {
  const all = await maskingSecrets(db, vault);
  return (run) => {
    // Its own workflow's HTTP step credentials, no other's: a word one workflow sends as a key is
    // payload in another's runs.
    const secrets = secretsOfRunsOf(all, run.workflowId);
    const show = shownWith(secrets);
    const data = (text: string) => withoutWorkspaceSecrets(text, secrets);
    const step = (e: StepLogEntry): StepLogEntry => ({
      ...e,
      ...(e.error !== undefined ? { error: show(e.error) } : {}),
      ...(e.notes ? { notes: e.notes.map(show) } : {}),
      ...(e.output !== undefined ? { output: outputMasked(e.output, data, 0) } : {}),
    });
    return { ...run, error: run.error === null ? null : show(run.error), stepLog: run.stepLog.map(step) };
  };
}
/** `lastError` of each item (a channel, an app delivery) masked; the rest as it is. */
export const withShownLastError = <T extends { lastError: string | null }>(item: T, show: ShowStored): T =>
  (item.lastError === null ? item : { ...item, lastError: show(item.lastError) });

/** A message's delivery error (the thread's "Not sent: …" line) masked; a message without one as it is. */
export const withShownDelivery = <T extends { delivery?: { error: string | null } }>(message: T, show: ShowStored): T =>
  (message.delivery?.error ? { ...message, delivery: { ...message.delivery, error: show(message.delivery.error) } } : message);
