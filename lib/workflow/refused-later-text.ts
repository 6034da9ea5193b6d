import type { RefusedLater } from '../contracts/refused-later';

/**
 * The run history's line for a step whose message WhatsApp refused later: what the supervisor
 * would otherwise have to piece together from a note and the output's JSON. `when` formats a
 * time for the reader (the page: their locale).
 */
export function refusedLaterText(r: RefusedLater, when: (iso: string) => string): string {
  const f = { ...r.fallback, error: r.fallback.error && clause(r.fallback.error) };
  const head = `Refused later by WhatsApp: ${clause(r.error)}.`;
  const name = `the fallback template ${f.template}`;
  const onTry = f.tries > 1 ? ` on try ${f.tries}` : '';
  switch (f.status) {
    case 'sent': return `${head} Replaced by ${name}, sent${onTry}.`;
    case 'waiting': return `${head} Meta did not take ${name} for now (${f.error ?? 'busy'}); it is tried again${f.nextTryAt ? ` at ${when(f.nextTryAt)}` : ''} (try ${f.tries + 1} of ${f.of}).`;
    case 'unknown': return `${head} ${cap(name)} may or may not have reached the customer: ${f.error ?? 'its answer was lost'}.`;
    case 'not_sent': return `${head} ${cap(name)} was not sent: ${f.error ?? ''}.`;
    case 'failed': return `${head} ${cap(name)} failed too${onTry}: ${f.error ?? 'Meta refused it'}.`;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** Meta's words may end a sentence already. */
const clause = (s: string) => s.replace(/[.\s]+$/, '');
