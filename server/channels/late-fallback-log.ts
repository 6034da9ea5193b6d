import { LateFallbackOutcome, OutputRefusedLater, type RefusedLater } from '../../lib/contracts/refused-later';
import type { StepLogEntry } from '../../lib/contracts/runs';
import type { DeliveryResult } from './deliver';
import { LATE_NOTE } from './late-fallback-note';
import { explainMetaError } from './meta-advice';

// What the run's history says of a step whose message WhatsApp refused later (late-fallbacks.ts):
// its output's `delivery` says failed, with WhatsApp's reason, and `refusedLater` says what became
// of the fallback template; a note is added each time that changes (sent, put off, given up).

const REFUSED = `${LATE_NOTE} (Meta error 131047 in a status webhook: more than 24 hours since the customer last wrote, by WhatsApp's own record)`;

/** Where the late fallback stands after a look: Meta's answer, or why it was not sent. */
export interface FallbackState {
  template: string;
  outcome: DeliveryResult | string;
  /** Sends made so far, of `of` at most. */
  tries: number;
  of: number;
  /** Status waiting: the next try. */
  nextTryAt?: string;
  /** The refused message's delivery error (the status webhook's). */
  refusal: string | null;
}

export function fallbackOutcome(s: FallbackState): LateFallbackOutcome {
  const base = { template: s.template, tries: s.tries, of: s.of };
  if (typeof s.outcome === 'string') return { ...base, status: 'not_sent', error: s.outcome };
  const o = s.outcome;
  const sent = { messageId: o.messageId, externalId: o.externalId };
  if (o.status === 'accepted') return { ...base, ...sent, status: 'sent' };
  if (o.status === 'retrying') return { ...base, ...sent, status: 'waiting', error: o.error ?? 'Meta did not take it for now', ...(s.nextTryAt ? { nextTryAt: s.nextTryAt } : {}) };
  // "Not sent: the run was cancelled" (retrying-sends.ts) reads "was not sent: the run was cancelled" in the note.
  return { ...base, ...sent, status: o.status === 'unknown' ? 'unknown' : 'failed', error: explainMetaError(o.error)?.replace(/^Not sent: /, '') ?? 'Meta refused it' };
}

/** The note for this state: the first one names the refusal, later ones follow it. */
function noteFor(f: LateFallbackOutcome, first: boolean, runEnded: boolean): string {
  const name = `the fallback template ${f.template}`;
  const ended = runEnded ? ', after the run had ended' : '';
  const onTry = f.tries > 1 ? `, on try ${f.tries}` : '';
  const again = `trying again at ${f.nextTryAt ?? 'a later look'} (try ${f.tries + 1} of ${f.of})`;
  const what = first
    ? { sent: `sent ${name} instead${onTry}${ended}`, waiting: `Meta did not take ${name} for now (${f.error}): ${again}`,
      unknown: `${name} may or may not have reached the customer: ${f.error}`, failed: `${name} was not accepted: ${f.error}`, not_sent: `${name} was not sent: ${f.error}` }
    : { sent: `went${onTry}${ended}`, waiting: `was not taken for now either (${f.error}): ${again}`,
      unknown: `may or may not have reached the customer: ${f.error}`, failed: `was not sent: ${f.error}`, not_sent: `was not sent: ${f.error}` };
  return first ? `${REFUSED}; ${what[f.status]}` : `The fallback template ${f.template} ${what[f.status]}`;
}

const sameState = (a: LateFallbackOutcome, b: LateFallbackOutcome) => a.status === b.status && a.tries === b.tries;

/** Edits the step's log entry to this state (amendStep); false when it says so already. */
export function recordLateFallback(entry: StepLogEntry, state: FallbackState, runEnded: boolean): boolean {
  const fallback = fallbackOutcome(state);
  const before = OutputRefusedLater.safeParse(entry.output);
  if (before.success && sameState(before.data.refusedLater.fallback, fallback)) return false;
  const first = !(entry.notes ?? []).some((n) => n.startsWith(LATE_NOTE));
  entry.notes = [...(entry.notes ?? []), noteFor(fallback, first, runEnded)];
  const refusal = state.refusal ?? 'WhatsApp refused the message after taking it';
  const output = entry.output && typeof entry.output === 'object' ? entry.output as Record<string, unknown> : {};
  const delivery = output.delivery && typeof output.delivery === 'object' ? output.delivery : {};
  const refusedLater: RefusedLater = { error: refusal, fallback };
  entry.output = { ...output, delivery: { ...delivery, status: 'failed', error: refusal }, refusedLater };
  return true;
}
