// Chatwoot's words reach far more than the log: an account's last error (options page), a run
// step's error and notes (run details, the launcher's toast), the thread's line for a failed step,
// a sync's notes and the 4xx/5xx answers of the inbox and contact routes. A Chatwoot, or a proxy in
// front of it, can quote what it was sent ("Invalid Access Token <token>", a URL with
// `?api_access_token=…`), so its answer is masked once, where the error is made, with the one rule
// for secrets in another side's answer (outbound/mask.ts, however escaped) and then what the log
// hides (logging.ts redactText: credentials in URLs, named tokens, Bearer values).
import { redactText } from '../../logging';
import { excerpt } from '../../outbound/excerpt';
import { masked } from '../../outbound/mask';

/** As much of one Chatwoot answer as an error message quotes. */
const SHOWN_CHARS = 300;

/** What a connected account holds that no answer of Chatwoot may show back. */
export function accountSecrets(s: { apiAccessToken: string; botAccessToken: string | null; webhookToken: string; webhookSecret: string | null }): string[] {
  return [s.apiAccessToken, s.botAccessToken, s.webhookToken, s.webhookSecret].filter((v): v is string => !!v);
}

/** Chatwoot's answer as an error quotes it: on one line, `secrets` masked before it is cut (a secret across the cut leaves no part). */
export function shownAnswer(text: string, secrets: readonly string[]): string {
  return text.trim() === '' ? '' : redactText(excerpt(text, SHOWN_CHARS, secrets));
}

/** A text kept before answers were masked (an account's last error), masked as it is shown. */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  return redactText(masked(text, secrets));
}
